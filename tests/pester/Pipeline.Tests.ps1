# The Fonana runbook end to end, in real pwsh against two throwaway PostgreSQL servers:
# a "local" server with Fonana's data and a "production" server whose schema Prisma made.
BeforeDiscovery {
    $script:Tables = 'users', 'posts', 'comments', 'likes', 'subscriptions', 'follows', 'notifications', 'conversations', 'messages', 'sessions', 'accounts', 'verification_tokens', '_ConversationParticipants'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:LocalServer = Start-FonanaTestServer -Name local
    $script:ProdServer = Start-FonanaTestServer -Name prod -TimeZone 'America/New_York'
    $script:Work = New-TestDirectory
    $script:Seq = 0
    function New-Pair {
        $script:Seq++
        [pscustomobject]@{
            Local = New-FonanaTestDatabase -Server $LocalServer -Name "local$Seq" -Kind Seeded
            Prod = New-FonanaTestDatabase -Server $ProdServer -Name "prod$Seq" -Kind Empty
            Archive = Join-Path $Work "fonana$Seq.fnz"
        }
    }
    function Get-Count($Server, $Db, $Table) {
        [long](Invoke-FonanaTestSql -Server $Server -Database $Db.Name -Sql "SELECT count(*) FROM `"$Table`"")
    }
}

AfterAll {
    Stop-FonanaTestServer $LocalServer
    Stop-FonanaTestServer $ProdServer
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'The Fonana pipeline' {
    BeforeAll {
        $script:Run = New-Pair
        $script:Results = @(Export-FonanaDatabase -Source $Run.Local.Uri -Path $Run.Archive |
                Import-FonanaDatabase -Target $Run.Prod.Uri -Confirm:$false |
                Assert-FonanaCounts -Checksum -Query @{ creators = 'SELECT count(*) FROM users WHERE "isCreator"' } -Expected @{ creators = 56 })
    }

    It 'migrates every row of <_>' -ForEach $Tables {
        Get-Count $ProdServer $Run.Prod $_ | Should -Be (Get-Count $LocalServer $Run.Local $_)
        Get-Count $ProdServer $Run.Prod $_ | Should -Be $ExpectedCounts[$_]
    }

    It 'reports one matching object per table, plus the creators query' {
        $Results.Count | Should -Be ($ExpectedCounts.Count + 1)  # every table but _prisma_migrations, plus the query
        $Results | Where-Object { -not $_.Match } | Should -BeNullOrEmpty
        ($Results | Where-Object Name -eq 'creators').Actual | Should -Be 56
        ($Results | Where-Object Kind -eq 'Table' | Where-Object ChecksumMatch -ne $true) | Should -BeNullOrEmpty
    }

    It 'keeps the same content in every table, as the servers checksum it' {
        { Assert-FonanaRowCount -Target $Run.Prod.Uri -Source $Run.Local.Uri -Checksum } | Should -Not -Throw
    }

    It 'leaves the target''s own Prisma migration history alone' {
        Invoke-FonanaTestSql -Server $ProdServer -Database $Run.Prod.Name -Sql 'SELECT count(*) FROM _prisma_migrations' | Should -Be 4
    }

    It 'moves text, emoji, jsonb and timestamps unchanged even though the servers are in different time zones' {
        $sql = 'SELECT md5(string_agg(u::text, '','' ORDER BY u.id)) FROM users u'
        $sqlUtc = "SET TimeZone = 'UTC'; $sql"
        Invoke-FonanaTestSql -Server $ProdServer -Database $Run.Prod.Name -Sql $sqlUtc |
            Should -Be (Invoke-FonanaTestSql -Server $LocalServer -Database $Run.Local.Name -Sql $sqlUtc)
        Invoke-FonanaTestSql -Server $ProdServer -Database $Run.Prod.Name -Sql "SELECT count(*) FROM posts WHERE content LIKE '%Привет%' OR title LIKE '%🔥%'" |
            Should -Not -Be '0'
    }

    It 'sets serial sequences past the imported rows so new inserts work' {
        $serial = Invoke-FonanaTestSql -Server $ProdServer -Database $Run.Prod.Name -Sql @"
SELECT string_agg(format('%s.%s', c.relname, a.attname), ',') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  AND pg_get_serial_sequence(format('%I', c.relname), a.attname) IS NOT NULL
"@
        $serial | Should -Not -BeNullOrEmpty -Because 'the fixture has serial or identity columns'
        foreach ($pair in $serial -split ',') {
            $table, $column = $pair -split '\.'
            $max = Invoke-FonanaTestSql -Server $ProdServer -Database $Run.Prod.Name -Sql "SELECT max(`"$column`") FROM `"$table`""
            $next = Invoke-FonanaTestSql -Server $ProdServer -Database $Run.Prod.Name -Sql "SELECT nextval(pg_get_serial_sequence('`"$table`"', '$column'))"
            [long]$next | Should -BeGreaterThan ([long]$max)
        }
    }
}

Describe 'Copy-FonanaDatabase' {
    It 'copies every table straight from source to target and pipes into Assert-FonanaCounts, which compares against the source' {
        $run = New-Pair
        $results = @(Copy-FonanaDatabase -Source $run.Local.Uri -Target $run.Prod.Uri -Confirm:$false |
                Assert-FonanaCounts -Checksum -Query @{ creators = 'SELECT count(*) FROM users WHERE "isCreator"' })
        $results.Count | Should -Be ($ExpectedCounts.Count + 1)
        $results | Where-Object { -not $_.Match } | Should -BeNullOrEmpty
        ($results | Where-Object Name -eq 'creators').Expected | Should -Be 56
        Get-Count $ProdServer $run.Prod 'posts' | Should -Be 279
    }

    It 'refuses a target that holds rows, naming the error' {
        $run = New-Pair
        $occupied = New-FonanaTestDatabase -Server $ProdServer -Name "copyoccupied$Seq" -Kind Seeded
        { Copy-FonanaDatabase -Source $run.Local.Uri -Target $occupied.Uri -Confirm:$false } |
            Should -Throw -ErrorId 'TargetNotEmpty,FonanaMigration.Commands.CopyFonanaDatabaseCommand'
    }
}

Describe 'All or nothing' {
    It 'rolls back when the pipeline is stopped in the middle of the load (Ctrl+C)' {
        $run = New-Pair
        # Slow the load down on the target so there is a "middle" to stop in: 10 ms per post.
        Invoke-FonanaTestSql -Server $ProdServer -Database $run.Prod.Name -Sql @'
CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.01); RETURN NEW; END $$;
CREATE TRIGGER slow BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION slow();
-- ALWAYS: the load disables ordinary triggers of tables the role owns, as for replicated rows.
ALTER TABLE posts ENABLE ALWAYS TRIGGER slow;
'@
        Export-FonanaDatabase -Source $run.Local.Uri -Path $run.Archive | Out-Null
        $ps = [PowerShell]::Create()
        [void]$ps.AddCommand('Import-Module').AddParameter('Name', (Get-Module FonanaMigration).Path).AddStatement()
        [void]$ps.AddCommand('Import-FonanaDatabase').AddParameter('Path', $run.Archive).AddParameter('Target', $run.Prod.Uri).AddParameter('Confirm', $false)
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            Start-Sleep -Milliseconds 100
            $copying = Invoke-FonanaTestSql -Server $ProdServer -Database 'postgres' -Sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$($run.Prod.Name)' AND query LIKE 'COPY %posts%'"
        } until ($copying -ne '0' -or [DateTime]::UtcNow -gt $deadline)
        $copying | Should -Not -Be '0' -Because 'the import must be loading posts when it is stopped'
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
        foreach ($t in 'users', 'posts') { Get-Count $ProdServer $run.Prod $t | Should -Be 0 -Because "$t must be rolled back" }
    }

    It 'rolls back every table when the target rejects a row in the middle of the import' {
        $run = New-Pair
        # A trigger the schema check does not see: the target rejects one comment, late in the load order.
        Invoke-FonanaTestSql -Server $ProdServer -Database $run.Prod.Name -Sql @'
CREATE FUNCTION reject_one() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW."parentId" IS NOT NULL THEN RAISE EXCEPTION 'replies are not welcome here'; END IF; RETURN NEW; END $$;
CREATE TRIGGER reject_one BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION reject_one();
ALTER TABLE comments ENABLE ALWAYS TRIGGER reject_one;
'@
        Export-FonanaDatabase -Source $run.Local.Uri -Path $run.Archive | Out-Null
        $err = $null
        try { Import-FonanaDatabase -Path $run.Archive -Target $run.Prod.Uri -Confirm:$false } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'TargetRejectedRow,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match 'replies are not welcome'
        foreach ($t in 'users', 'posts', 'comments', 'likes', 'notifications') {
            Get-Count $ProdServer $run.Prod $t | Should -Be 0 -Because "$t must be rolled back"
        }
    }

    It 'refuses a target that already holds rows and changes nothing' {
        $run = New-Pair
        $occupied = New-FonanaTestDatabase -Server $ProdServer -Name "occupied$Seq" -Kind Seeded
        Invoke-FonanaTestSql -Server $ProdServer -Database $occupied.Name -Sql 'DELETE FROM likes' | Out-Null
        Export-FonanaDatabase -Source $run.Local.Uri -Path $run.Archive | Out-Null
        { Import-FonanaDatabase -Path $run.Archive -Target $occupied.Uri -Confirm:$false } |
            Should -Throw -ErrorId 'TargetNotEmpty,FonanaMigration.Commands.ImportFonanaDatabaseCommand'
        Get-Count $ProdServer $occupied 'users' | Should -Be 96
        Get-Count $ProdServer $occupied 'likes' | Should -Be 0
    }

    It 'refuses a damaged archive before writing anything' {
        $run = New-Pair
        Export-FonanaDatabase -Source $run.Local.Uri -Path $run.Archive | Out-Null
        $bytes = [IO.File]::ReadAllBytes($run.Archive)
        [IO.File]::WriteAllBytes($run.Archive, $bytes[0..($bytes.Length / 2)])
        { Import-FonanaDatabase -Path $run.Archive -Target $run.Prod.Uri -Confirm:$false } |
            Should -Throw -ErrorId 'ArchiveCorrupt,FonanaMigration.Commands.ImportFonanaDatabaseCommand'
        Get-Count $ProdServer $run.Prod 'users' | Should -Be 0
    }

    It 'writes nothing under -WhatIf' {
        $run = New-Pair
        Export-FonanaDatabase -Source $run.Local.Uri -Path $run.Archive | Out-Null
        Import-FonanaDatabase -Path $run.Archive -Target $run.Prod.Uri -WhatIf | Should -BeNullOrEmpty
        Get-Count $ProdServer $run.Prod 'users' | Should -Be 0
    }
}

Describe 'Assert-FonanaCounts' {
    BeforeAll {
        $script:Done = New-Pair
        Export-FonanaDatabase -Source $Done.Local.Uri -Path $Done.Archive | Import-FonanaDatabase -Target $Done.Prod.Uri -Confirm:$false | Out-Null
    }

    It 'passes when every count matches the archive' {
        $r = Assert-FonanaCounts -Target $Done.Prod.Uri -Path $Done.Archive
        $r.Count | Should -Be $ExpectedCounts.Count
        $r.Match | Should -Not -Contain $false
    }

    It 'fails the pipeline with a terminating error when a row is missing, naming the table' {
        Invoke-FonanaTestSql -Server $ProdServer -Database $Done.Prod.Name -Sql 'DELETE FROM likes WHERE id = (SELECT min(id) FROM likes)' | Out-Null
        $out = $null
        $err = $null
        try { $out = Assert-FonanaCounts -Target $Done.Prod.Uri -Path $Done.Archive -ErrorAction SilentlyContinue } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'RowCountMismatch,FonanaMigration.Commands.AssertFonanaRowCountCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidResult'
        $err.Exception.Message | Should -Match 'public\.likes \(expected 8, found 7\)'
        $err.Exception.Message | Should -Match '^1 of '
    }

    It 'detects a changed value when the count is the same, with -Checksum' {
        Invoke-FonanaTestSql -Server $ProdServer -Database $Done.Prod.Name -Sql "UPDATE posts SET title = title || '!' WHERE id = (SELECT min(id) FROM posts)" | Out-Null
        $rows = [System.Collections.Generic.List[object]]::new()
        { Assert-FonanaCounts -Target $Done.Prod.Uri -Path $Done.Archive -Checksum -Table posts | ForEach-Object { $rows.Add($_) } } |
            Should -Throw -ErrorId 'RowCountMismatch,FonanaMigration.Commands.AssertFonanaRowCountCommand'
        $rows[0].Name | Should -Be 'public.posts'
        $rows[0].Expected | Should -Be $rows[0].Actual
        $rows[0].ChecksumMatch | Should -BeFalse
    }

    It 'fails on an explicit expectation the target does not meet' {
        { Assert-FonanaCounts -Target $Done.Prod.Uri -Expected @{ creators = 57 } -Query @{ creators = 'SELECT count(*) FROM users WHERE "isCreator"' } } |
            Should -Throw -ErrorId 'RowCountMismatch,*'
    }
}

Describe 'Passwords' {
    It 'never appear in output, verbose, debug, warning or information streams, nor in the archive' {
        $run = New-Pair
        $all = & {
            Test-FonanaSchema -Source $run.Local.Uri -Target $run.Prod.Uri -Verbose -Debug
            Export-FonanaDatabase -Source $run.Local.Uri -Path $run.Archive -Verbose -Debug |
                Import-FonanaDatabase -Target $run.Prod.KeyValue -Confirm:$false -Verbose -Debug |
                Assert-FonanaCounts -Verbose -Debug
        } *>&1 5>&1 | ForEach-Object { $_ | Format-List * -Force | Out-String; $_ | ConvertTo-Json -Depth 3 -WarningAction Ignore }
        $text = $all -join "`n"
        $text | Should -Match 'fonana_user@127\.0\.0\.1' -Because 'the connection is shown, redacted'
        $text | Should -Not -Match $TestPassword
        $entries = [IO.Compression.ZipFile]::OpenRead($run.Archive)
        try {
            foreach ($e in $entries.Entries) {
                $reader = [IO.StreamReader]::new($e.Open())
                $reader.ReadToEnd() | Should -Not -Match $TestPassword
                $reader.Dispose()
            }
        }
        finally { $entries.Dispose() }
    }

    It 'do not appear in the error for a wrong password, which says AuthenticationError' {
        $uri = $LocalServer.ConnectionUri('fonana_user', 'wrong-secret-123', 'fonana_seeded')
        $err = $null
        try { Test-FonanaSchema -Source $uri -Target $uri } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,FonanaMigration.Commands.TestFonanaSchemaCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($err | Out-String) + $err.Exception.ToString() | Should -Not -Match 'wrong-secret-123'
        $err.TargetObject.ToString() | Should -Match '127\.0\.0\.1'
    }

    It 'are not in the error for an unreachable server, which says ConnectionError and names host and port' {
        $err = $null
        try { Test-FonanaSchema -Source 'postgresql://fonana_user:s3cret-unreachable@127.0.0.1:1/fonana?connect_timeout=3' -Target 'postgresql://x@127.0.0.1:1/y' } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,FonanaMigration.Commands.TestFonanaSchemaCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match '127\.0\.0\.1:1'
        ($err | Out-String) | Should -Not -Match 's3cret-unreachable'
    }
}
