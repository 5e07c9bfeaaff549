# Errors that concern one pipeline input are non-terminating: the other inputs still run, the bad one is an error
# record (its id and target object), and -ErrorAction Stop stops at it. Real servers, real damaged archives.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name perinput
    $script:Work = New-TestDirectory
    $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
    $script:Good1 = Join-Path $Work 'good1.fnz'
    $script:Bad = Join-Path $Work 'bad.fnz'
    $script:Good2 = Join-Path $Work 'good2.fnz'
    Export-FonanaDatabase -Source $source.Uri -Path $Good1 | Out-Null
    Copy-Item $Good1 $Good2
    $bytes = [IO.File]::ReadAllBytes($Good1)
    [IO.File]::WriteAllBytes($Bad, $bytes[0..($bytes.Length / 2)])
    $script:Loaded = New-FonanaTestDatabase -Server $Server -Kind Seeded
    function Get-Count($Db, $Table) { [long](Invoke-FonanaTestSql -Server $Server -Database $Db.Name -Sql "SELECT count(*) FROM `"$Table`"") }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Three archives on the pipeline, the middle one damaged' {
    It 'Import-FonanaDatabase loads the other two and reports the damaged one as an error record' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $errors = $null
        $results = @(Get-Item -LiteralPath $Good1, $Bad, $Good2 | Import-FonanaDatabase -Target $target.Uri -Clean -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors)
        $results.Count | Should -Be 2
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ArchiveCorrupt,FonanaMigration.Commands.ImportFonanaDatabaseCommand'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be $Bad
        Get-Count $target 'users' | Should -Be 96
    }

    It 'Import-FonanaDatabase -ErrorAction Stop stops at the damaged one' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $results = [Collections.Generic.List[object]]::new()
        $caught = $null
        try { Get-Item -LiteralPath $Good1, $Bad, $Good2 | Import-FonanaDatabase -Target $target.Uri -Clean -Confirm:$false -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ArchiveCorrupt,FonanaMigration.Commands.ImportFonanaDatabaseCommand'
        $results.Count | Should -Be 1 -Because 'the first archive was loaded and the third never started'
    }

    It 'Assert-FonanaCounts -Path checks the other two and reports the damaged one as an error record' {
        $inputs = $Good1, $Bad, $Good2 | ForEach-Object { [pscustomobject]@{ Target = $Loaded.Uri; Path = $_ } }
        $errors = $null
        $results = @($inputs | Assert-FonanaCounts -ErrorAction SilentlyContinue -ErrorVariable errors)
        $results.Count | Should -Be (2 * $ExpectedCounts.Count)
        $results.Match | Should -Not -Contain $false
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ArchiveCorrupt,FonanaMigration.Commands.AssertFonanaRowCountCommand'
        $errors[0].TargetObject | Should -Be $Bad
    }

    It 'Assert-FonanaCounts -ErrorAction Stop stops at the damaged one' {
        $inputs = $Good1, $Bad, $Good2 | ForEach-Object { [pscustomobject]@{ Target = $Loaded.Uri; Path = $_ } }
        $results = [Collections.Generic.List[object]]::new()
        { $inputs | Assert-FonanaCounts -ErrorAction Stop | ForEach-Object { $results.Add($_) } } |
            Should -Throw -ErrorId 'ArchiveCorrupt,FonanaMigration.Commands.AssertFonanaRowCountCommand'
        $results.Count | Should -Be $ExpectedCounts.Count -Because 'only the first archive was checked'
    }
}

Describe 'Test-FonanaSchema -Quiet' {
    It 'answers $false, without an error, when a server cannot be reached (as Test-Connection -Quiet does)' {
        # A loopback port nothing listens on: bound, read, released.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $unreachable = "postgresql://fonana_user:fonana_pass@127.0.0.1:$port/nowhere"
        $errors = $null
        $answer = Test-FonanaSchema -Source $Loaded.Uri -Target $unreachable -Quiet -ConnectTimeout 5 -ErrorVariable errors
        $answer | Should -BeOfType [bool]
        $answer | Should -BeFalse
        $errors | Should -BeNullOrEmpty
    }

    It 'still answers $true for two servers that match' {
        Test-FonanaSchema -Source $Loaded.Uri -Target $Loaded.Uri -Quiet | Should -BeTrue
    }
}
