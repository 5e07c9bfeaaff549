# Import/Copy -PerTable: one object per table a DBA can read, before the summary; without it only the summary, which
# is what Assert-FonanaCounts binds to down the pipeline.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name loadresults
    $script:Work = New-TestDirectory
    $script:Source = New-FonanaTestDatabase -Server $Server -Kind Seeded
    # One table with nothing to load, so that Status has two values that are both true.
    Invoke-FonanaTestSql -Server $Server -Database $Source.Name -Sql 'DELETE FROM verification_tokens' | Out-Null
    $script:Archive = Join-Path $Work 'source.fnz'
    Export-FonanaDatabase -Source $Source.Uri -Path $Archive | Out-Null
}

Describe 'Import-FonanaDatabase -PerTable' {
    It 'writes one LoadedTable per table, Loaded or Empty as the rows say, then the summary' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false)
        $summary = $out[-1]
        $summary | Should -BeOfType ([FonanaMigration.Engine.Transfer.TargetLoadResult])
        $tables = @($out | Where-Object { $_ -is [FonanaMigration.LoadedTable] })
        $tables.Count | Should -Be $summary.TableCount
        $out.Count | Should -Be ($summary.TableCount + $summary.MaterializedViews.Count + 1)
        $users = $tables | Where-Object Table -Match 'users$' | Where-Object Rows -GT 0 | Select-Object -First 1
        $users.Status | Should -Be 'Loaded'
        $users.Verified | Should -BeTrue
        $tokens = $tables | Where-Object Table -Match 'verification_tokens$'
        $tokens.Status | Should -Be 'Empty'
        $tokens.Rows | Should -Be 0
        ($tables | Measure-Object Rows -Sum).Sum | Should -Be $summary.RowCount
    }

    It 'notes that -Clean emptied each table first' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $tables = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -Clean -PerTable -Confirm:$false | Where-Object { $_ -is [FonanaMigration.LoadedTable] -and $_.Elapsed })
        $tables | Should -Not -BeNullOrEmpty
        $tables.Notes | ForEach-Object { $_ | Should -Match 'emptied first \(-Clean\)' }
    }

    It 'shows the per-table objects in a table view with Status and Notes' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false)
        $text = $out[0] | Out-String -Width 200
        $text | Should -Match 'Table\s+Status\s+Rows\s+Verified\s+Elapsed\s+Notes'
    }

    It 'writes only the summary without -PerTable, so Assert-FonanaCounts binds to it' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -Confirm:$false)
        $out.Count | Should -Be 1
        $checked = @($out | Assert-FonanaCounts)
        $checked.Match | Should -Not -Contain $false
    }
}

Describe 'Copy-FonanaDatabase -PerTable' {
    It 'writes one LoadedTable per table, then the summary' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Copy-FonanaDatabase -Source $Source.Uri -Target $target.Uri -PerTable -Confirm:$false)
        $out[-1] | Should -BeOfType ([FonanaMigration.Engine.Transfer.TargetLoadResult])
        @($out | Where-Object { $_ -is [FonanaMigration.LoadedTable] }).Count | Should -Be $out[-1].TableCount
    }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}
