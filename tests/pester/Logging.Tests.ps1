# What a runbook can read afterwards: per-table timings and statements on the Verbose and Debug streams, and a JSON-lines
# log file (-LogPath) that never holds a password.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name logging
    $script:Work = New-TestDirectory
    function Read-JsonLines([string] $Path) { Get-Content -LiteralPath $Path | ForEach-Object { $_ | ConvertFrom-Json -DateKind String } }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'The Verbose and Debug streams' {
    BeforeAll {
        $script:Source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $script:Target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $archive = Join-Path $Work 'streams.fnz'
        $script:Export = @(Export-FonanaDatabase -Source $Source.Uri -Path $archive -Verbose -Debug 4>&1 5>&1)
        $script:Import = @(Import-FonanaDatabase -Path $archive -Target $Target.Uri -Confirm:$false -Verbose -Debug 4>&1 5>&1)
    }

    It 'show how long each table took to export and to load, at Verbose' {
        $verbose = ($Export + $Import) | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $verbose | Should -Contain ($verbose | Where-Object { $_ -match '^Exported public\.users: 96 rows, \d+ bytes in \d\d:\d\d:\d\d' })
        @($verbose | Where-Object { $_ -match '^Exported ' }).Count | Should -Be $ExpectedCounts.Count
        @($verbose | Where-Object { $_ -match '^Loaded .+: \d+ rows in \d\d:\d\d:\d\d' }).Count | Should -Be $ExpectedCounts.Count
    }

    It 'show every statement the driver ran, with its duration, at Debug' {
        $debug = ($Export + $Import) | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message
        $debug | Where-Object { $_ -match '^Command execution completed \(duration=\d+ms\): SELECT count\(\*\)' } | Should -Not -BeNullOrEmpty
        $debug | Where-Object { $_ -match '^COPY .+ FROM STDIN' } | Should -Not -BeNullOrEmpty -Because 'the import names each COPY it runs'
        $debug | Where-Object { $_ -match 'LOCK TABLE' } | Should -Not -BeNullOrEmpty
    }
}

Describe '-LogPath' {
    It 'is a parameter of every cmdlet' {
        foreach ($command in Get-Command -Module FonanaMigration -CommandType Cmdlet) {
            $command.Parameters.Keys | Should -Contain 'LogPath'
        }
    }

    It 'writes one JSON object per line for a whole pipeline, with timings, statements, and no password anywhere' {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $log = Join-Path $Work 'pipeline.log.jsonl'
        $archive = Join-Path $Work 'pipeline.fnz'
        $targetNoPassword = "postgresql://fonana_user@127.0.0.1:$($Server.Port)/$($target.Name)"
        $credential = New-TestCredential 'fonana_user' $TestPassword
        Export-FonanaDatabase -Source $source.Uri -Path $archive -LogPath $log |
            Import-FonanaDatabase -Target $targetNoPassword -TargetCredential $credential -Confirm:$false -LogPath $log |
            Assert-FonanaRowCount -Checksum -LogPath $log | Out-Null

        Get-Content -LiteralPath $log -Raw | Should -Not -Match $TestPassword
        $entries = @(Read-JsonLines $log)
        foreach ($e in $entries) {
            $e.time | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$'
            $e.level | Should -BeIn 'Debug', 'Verbose', 'Information', 'Warning', 'Error'
            $e.event | Should -Not -BeNullOrEmpty
            $e.message | Should -Not -BeNullOrEmpty
            $e.command | Should -BeIn 'Export-FonanaDatabase', 'Import-FonanaDatabase', 'Assert-FonanaRowCount'
        }
        foreach ($command in 'Export-FonanaDatabase', 'Import-FonanaDatabase', 'Assert-FonanaRowCount') {
            @($entries | Where-Object { $_.command -eq $command -and $_.event -eq 'Started' }).Count | Should -Be 1
            @($entries | Where-Object { $_.command -eq $command -and $_.event -eq 'Completed' }).Count | Should -Be 1
        }
        $users = $entries | Where-Object { $_.event -eq 'TableLoaded' -and $_.data.Table -eq 'public.users' }
        $users.data.Rows | Should -Be '96'
        [timespan] $users.data.Elapsed | Should -BeGreaterThan ([timespan]::Zero)
        @($entries | Where-Object event -eq 'TableExported').Count | Should -Be $ExpectedCounts.Count
        $entries | Where-Object { $_.level -eq 'Debug' -and $_.message -match '^Command execution completed' } | Should -Not -BeNullOrEmpty
        $entries | Where-Object { $_.event -eq 'Connecting' } | ForEach-Object { $_.message | Should -Match 'fonana_user@127\.0\.0\.1' }
    }

    It 'ends with the error that stopped the command, by its id' {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $occupied = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $archive = Join-Path $Work 'occupied.fnz'
        $log = Join-Path $Work 'error.log.jsonl'
        Export-FonanaDatabase -Source $source.Uri -Path $archive | Out-Null
        { Import-FonanaDatabase -Path $archive -Target $occupied.Uri -Confirm:$false -LogPath $log } | Should -Throw -ErrorId 'TargetNotEmpty,*'
        $last = @(Read-JsonLines $log)[-1]
        $last.level | Should -Be 'Error'
        $last.errorId | Should -Be 'TargetNotEmpty'
        $last.category | Should -Be 'ResourceExists'
        $last.message | Should -Match 'already holds rows'
    }

    It 'stops before any work when the log cannot be written' {
        $log = Join-Path $Work 'no-such-folder/run.jsonl'
        $err = $null
        try { Test-FonanaSchema -Source 'postgresql://u@127.0.0.1:1/db' -Target 'postgresql://u@127.0.0.1:1/db' -LogPath $log } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'LogFileWriteFailed,FonanaMigration.Commands.TestFonanaSchemaCommand'
        $err.TargetObject | Should -Be $log
    }
}
