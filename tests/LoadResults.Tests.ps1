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
    $script:Exported = Export-FonanaDatabase -Source $Source.Uri -Path $Archive
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

    It 'says Replaced for a table whose rows -Clean replaced, Emptied when it held rows and none came, and Loaded for one that was empty' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Seeded
        # An occupied target with one table already empty: -Clean removes rows only where there were some.
        Invoke-FonanaTestSql -Server $Server -Database $target.Name -Sql 'DELETE FROM likes' | Out-Null
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -Clean -PerTable -Confirm:$false)
        $out[-1].Cleaned | Should -BeTrue
        $tables = @($out | Where-Object { $_ -is [FonanaMigration.LoadedTable] })
        $users = $tables | Where-Object Table -EQ 'public.users'
        $users.Status | Should -Be 'Replaced'
        $users.Notes | Should -Match 'held rows: replaced \(-Clean\)'
        $likes = $tables | Where-Object Table -EQ 'public.likes'
        $likes.Status | Should -Be 'Loaded'
        $likes.Notes | Should -Not -Match '-Clean'
        $tokens = $tables | Where-Object Table -EQ 'public.verification_tokens'
        $tokens.Status | Should -Be 'Emptied'
        $tokens.Rows | Should -Be 0
        $tokens.Notes | Should -Match 'held rows: removed \(-Clean\)'
    }

    It 'notes each sequence moved on the table that draws from it, only when it moved' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false)
        $moved = $out[-1].Sequences | Where-Object Name -EQ 'public.notifications_seq_seq'
        $moved.NewValue | Should -Be 85
        $tables = @($out | Where-Object { $_ -is [FonanaMigration.LoadedTable] })
        ($tables | Where-Object Table -EQ 'public.notifications').Notes | Should -Match 'sequence public\.notifications_seq_seq moved to 85\b'
        @($tables | Where-Object Notes -Match 'sequence').Table | Should -Be @('public.notifications')

        # Loaded again with -Clean over the same rows: the sequence already stands at 85, so nothing is noted.
        $again = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -Clean -PerTable -Confirm:$false)
        ($again | Where-Object { $_ -is [FonanaMigration.LoadedTable] } | Where-Object Notes -Match 'sequence') | Should -BeNullOrEmpty
    }

    It 'notes which keys, indexes and foreign keys each table had rebuilt, and counts their time in its Elapsed' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false)
        $tables = @($out | Where-Object { $_ -is [FonanaMigration.LoadedTable] })
        # notifications: its primary key, a unique and a plain index, and its foreign key to users.
        ($tables | Where-Object Table -EQ 'public.notifications').Notes | Should -Match '(^|; )primary key, 2 indexes and 1 foreign key rebuilt(;|$)'
        # verification_tokens: no key and no foreign key, two unique indexes.
        ($tables | Where-Object Table -EQ 'public.verification_tokens').Notes | Should -Match '(^|; )2 indexes rebuilt(;|$)'
        foreach ($table in $tables) {
            $engine = $out[-1].Tables | Where-Object Table -EQ $table.Table
            $table.Elapsed | Should -Be ($engine.Elapsed + $engine.RebuildElapsed)
        }
        ($out[-1].Tables | Where-Object Table -EQ 'public.notifications').RebuildElapsed | Should -BeGreaterThan ([TimeSpan]::Zero)
    }

    It 'notes a COPY FREEZE load on the tables that received rows' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $tables = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false | Where-Object { $_ -is [FonanaMigration.LoadedTable] })
        ($tables | Where-Object Table -EQ 'public.users').Notes | Should -Match 'loaded frozen \(COPY FREEZE\)'
        ($tables | Where-Object Table -EQ 'public.verification_tokens').Notes | Should -Not -Match 'FREEZE'
    }

    It 'reports per table the bytes streamed, equal to the archive entry it was loaded from' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false)
        $tables = @($out | Where-Object { $_ -is [FonanaMigration.LoadedTable] -and $_.Status -ne 'Refreshed' -and $_.Status -ne 'Unpopulated' })
        foreach ($table in $tables) {
            $entry = $Exported.Tables | Where-Object Table -EQ $table.Table
            $table.Bytes | Should -Be $entry.Bytes -Because $table.Table
        }
        ($tables | Where-Object Table -EQ 'public.users').Bytes | Should -BeGreaterThan 0
    }

    It 'shows the per-table objects in a table view with Status and Notes' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $out = @(Import-FonanaDatabase -Path $Archive -Target $target.Uri -PerTable -Confirm:$false)
        $text = $out[0] | Out-String -Width 200
        $text | Should -Match 'Table\s+Status\s+Rows\s+Bytes\s+Elapsed\s+Verified\s+Notes'
        # Bytes as a DBA reads them (B, KB, MB, GB), not a raw count.
        $users = $out | Where-Object { $_ -is [FonanaMigration.LoadedTable] -and $_.Table -eq 'public.users' }
        $line = ($users | Out-String -Width 200) -split "`n" | Where-Object { $_ -match 'public\.users' }
        $line | Should -Match '\d+(\.\d)? (B|KB|MB|GB)\s'
        $line | Should -Not -Match "\b$($users.Bytes)\b"
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

    It 'reports per table the bytes streamed, the same the export wrote for it (UTF-8 bytes for COPY text tables too)' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $tables = @(Copy-FonanaDatabase -Source $Source.Uri -Target $target.Uri -PerTable -Confirm:$false | Where-Object { $_ -is [FonanaMigration.LoadedTable] -and $null -ne $_.Elapsed })
        foreach ($table in $tables) {
            $entry = $Exported.Tables | Where-Object Table -EQ $table.Table
            $table.Bytes | Should -Be $entry.Bytes -Because $table.Table
        }
        ($tables | Measure-Object Bytes -Sum).Sum | Should -BeGreaterThan 0
    }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}
