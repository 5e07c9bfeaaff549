# Verification as a PowerShell user runs it after a migration: Test-FonanaIntegrity, Update-FonanaMediaUrl and the
# -ReportPath files, in real pwsh against two throwaway PostgreSQL servers. Each kind of damage is planted in a fresh
# database and must be found and named.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module Microsoft.PowerShell.Host  # Start-Transcript; the test process runs with autoloading off
    $script:LocalServer = Start-FonanaTestServer -Name vlocal
    $script:ProdServer = Start-FonanaTestServer -Name vprod -TimeZone 'Europe/Moscow'
    $script:Work = New-TestDirectory
    $script:Seq = 0

    # A seeded database on production: the state right after a successful import, without paying for one.
    function New-Target {
        $script:Seq++
        New-FonanaTestDatabase -Server $ProdServer -Name "target$Seq" -Kind Seeded
    }
    function Invoke-Sql($Db, [string] $Sql) { Invoke-FonanaTestSql -Server $ProdServer -Database $Db.Name -Sql $Sql }
    function Read-Report([string] $BasePath) {
        [pscustomobject]@{
            Markdown = Get-Content -LiteralPath "$BasePath.md" -Raw
            Json = Get-Content -LiteralPath "$BasePath.json" -Raw | ConvertFrom-Json
            JUnit = [xml](Get-Content -LiteralPath "$BasePath.junit.xml" -Raw)
        }
    }
}

AfterAll {
    Stop-FonanaTestServer $LocalServer
    Stop-FonanaTestServer $ProdServer
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Test-FonanaIntegrity' {
    It 'finds no Error on a freshly migrated database: only the seed''s localhost URLs, as warnings' {
        $local = New-FonanaTestDatabase -Server $LocalServer -Name 'migrated_local' -Kind Seeded
        $prod = New-FonanaTestDatabase -Server $ProdServer -Name 'migrated_prod' -Kind Empty
        Export-FonanaDatabase -Source $local.Uri -Path (Join-Path $Work 'migrated.fnz') |
            Import-FonanaDatabase -Target $prod.Uri -Confirm:$false | Out-Null

        $findings = @(Test-FonanaIntegrity -Target $prod.Uri -Source $local.Uri)

        $findings.Severity | Should -Not -Contain 'Error'
        @($findings.Check | Sort-Object -Unique) | Should -Be @('MediaLocalhost')
        @($findings | ForEach-Object { "$($_.Table).$($_.Column)" } | Sort-Object) | Should -Be @('public.posts.mediaUrl', 'public.users.backgroundImage')
        Test-FonanaIntegrity -Target $prod.Uri -Source $local.Uri -Quiet | Should -BeTrue
    }

    It 'names one orphan comment behind a NOT VALID foreign key' {
        $db = New-Target
        $id = Invoke-Sql $db 'SELECT min(id) FROM comments'
        Invoke-Sql $db @"
ALTER TABLE comments DROP CONSTRAINT "comments_postId_fkey";
UPDATE comments SET "postId" = 'deleted-post' WHERE id = '$id';
ALTER TABLE comments ADD CONSTRAINT "comments_postId_fkey" FOREIGN KEY ("postId") REFERENCES posts(id) NOT VALID;
"@ | Out-Null

        $finding = Test-FonanaIntegrity -Target $db.Uri -Check ForeignKey

        $finding.Severity | Should -Be 'Error'
        $finding.Check | Should -Be 'ForeignKeyOrphan'
        $finding.Table | Should -Be 'public.comments'
        $finding.Column | Should -Be 'postId'
        $finding.Count | Should -Be 1
        $finding.Sample | Should -Be @($id)
        $finding.Message | Should -Match 'comments_postId_fkey.*NOT VALID'
    }

    It 'names one updatedAt earlier than createdAt' {
        $db = New-Target
        $id = Invoke-Sql $db 'SELECT min(id) FROM messages'
        Invoke-Sql $db "UPDATE messages SET `"updatedAt`" = `"createdAt`" - interval '5 minutes' WHERE id = '$id'" | Out-Null

        $finding = Test-FonanaIntegrity -Target $db.Uri -Check Timestamp

        $finding.Check | Should -Be 'TimestampOrder'
        "$($finding.Table).$($finding.Column)" | Should -Be 'public.messages.updatedAt'
        $finding.Sample | Should -Be @($id)
        $finding.Severity | Should -Be 'Warning'
    }

    It 'reports timestamps shifted by whole hours against the source as a time-zone mistake, with the offset' {
        $source = New-FonanaTestDatabase -Server $LocalServer -Name "shift_source" -Kind Seeded
        $db = New-Target
        Invoke-Sql $db "UPDATE comments SET `"createdAt`" = `"createdAt`" - interval '3 hours'" | Out-Null

        $finding = Test-FonanaIntegrity -Target $db.Uri -Source $source.Uri -Check Timestamp |
            Where-Object Check -eq 'TimestampShift'

        "$($finding.Table).$($finding.Column)" | Should -Be 'public.comments.createdAt'
        $finding.Severity | Should -Be 'Error'
        $finding.Count | Should -Be 44
        $finding.Message | Should -Match '-03:00:00.*time-zone'
    }

    It 'names one missing media file under -MediaRoot' {
        $db = New-Target
        $root = Join-Path $Work 'public'
        $references = Invoke-Sql $db @'
SELECT v FROM (SELECT avatar FROM users UNION SELECT "backgroundImage" FROM users UNION SELECT "mediaUrl" FROM posts
               UNION SELECT thumbnail FROM posts UNION SELECT "mediaUrl" FROM messages) r(v) WHERE v IS NOT NULL
'@
        foreach ($reference in $references -split "`n") {
            $file = Join-Path $root ($reference -replace '^http://localhost:3000', '').TrimStart('/')
            New-Item -ItemType File -Force -Path $file | Out-Null
        }
        $post = Invoke-Sql $db "SELECT id FROM posts WHERE thumbnail IS NOT NULL ORDER BY id LIMIT 1"
        $thumbnail = Invoke-Sql $db "SELECT thumbnail FROM posts WHERE id = '$post'"
        Remove-Item (Join-Path $root $thumbnail.TrimStart('/'))

        $missing = @(Test-FonanaIntegrity -Target $db.Uri -Check Media -MediaRoot $root | Where-Object Check -eq 'MediaMissing')

        $missing.Count | Should -Be 1
        "$($missing[0].Table).$($missing[0].Column)" | Should -Be 'public.posts.thumbnail'
        $missing[0].Sample | Should -Be @($post)
        $missing[0].Message | Should -BeLike "*$thumbnail*"
        $missing[0].Severity | Should -Be 'Error'
    }

    It 'names the production report''s mojibake string and what it said' {
        $db = New-Target
        $id = Invoke-Sql $db 'SELECT min(id) FROM messages'
        Invoke-Sql $db "UPDATE messages SET content = 'Задача: –ó–ê–î–ê–ß–ê' WHERE id = '$id'" | Out-Null

        $finding = Test-FonanaIntegrity -Target $db.Uri -Check Encoding

        $finding.Check | Should -Be 'EncodingMojibake'
        "$($finding.Table).$($finding.Column)" | Should -Be 'public.messages.content'
        $finding.Sample | Should -Be @($id)
        $finding.Message | Should -BeLike "*'–ó–ê–î–ê–ß–ê', which is 'ЗАДАЧА' read as Mac Roman*"
    }

    It 'returns $false with -Quiet when there is an Error, and ends without a terminating error' {
        $db = New-Target
        Invoke-Sql $db "UPDATE posts SET title = 'cafÃ©' WHERE id = (SELECT min(id) FROM posts)" | Out-Null

        $result = Test-FonanaIntegrity -Target $db.Uri -Quiet -ErrorVariable errors

        $result | Should -BeFalse
        $errors | Should -BeNullOrEmpty
    }

    It 'writes a Markdown summary, JSON and JUnit XML whose counts match the findings' {
        $db = New-Target
        Invoke-Sql $db "UPDATE posts SET title = 'cafÃ©' WHERE id = (SELECT min(id) FROM posts)" | Out-Null
        $base = Join-Path $Work 'reports/integrity-run'

        $findings = @(Test-FonanaIntegrity -Target $db.Uri -ReportPath $base)
        $report = Read-Report $base

        $report.Markdown | Should -Match '^# ❌ FAIL: Integrity of `postgresql://fonana_user@127\.0\.0\.1:\d+/target\d+`'
        $report.Markdown | Should -Match '## EncodingMojibake \(1 failed of 13\)'
        $report.Json.passed | Should -BeFalse
        @($report.Json.results).Count | Should -Be $findings.Count
        ($report.Json.results | Where-Object check -eq 'EncodingMojibake').table | Should -Be 'public.posts'
        $cases = @($report.JUnit.SelectNodes('//testcase'))
        [int]$report.JUnit.testsuites.tests | Should -Be $cases.Count
        [int]$report.JUnit.testsuites.failures | Should -Be @($report.JUnit.SelectNodes('//testcase[failure]')).Count
        [int]$report.JUnit.testsuites.failures | Should -Be 1
        $report.JUnit.SelectSingleNode('//testcase[failure]').name | Should -Be 'public.posts'
        $report.Json.summary.tests | Should -Be $cases.Count
    }

    It 'refuses a -MediaRoot that does not exist, naming it' {
        $db = New-Target
        { Test-FonanaIntegrity -Target $db.Uri -MediaRoot (Join-Path $Work 'no-such-dir') } |
            Should -Throw -ErrorId 'MediaRootNotFound,FonanaMigration.Commands.TestFonanaIntegrityCommand'
    }
}

Describe 'Update-FonanaMediaUrl' {
    It '-WhatIf lists every column with its row count and changes nothing' {
        $db = New-Target
        # What-if lines go to the host, not to a stream: a transcript is how a script sees them.
        $transcript = Join-Path $Work 'whatif.txt'
        Start-Transcript -LiteralPath $transcript | Out-Null
        try { $out = Update-FonanaMediaUrl -Target $db.Uri -From 'http://localhost:3000' -To 'https://fonana.example' -WhatIf }
        finally { Stop-Transcript | Out-Null }

        $out | Should -BeNullOrEmpty
        $text = Get-Content -LiteralPath $transcript -Raw
        $text | Should -Match 'What if: .*public\.posts\.mediaUrl \(140 row\(s\)\); public\.users\.backgroundImage \(18 row\(s\)\)'
        Invoke-Sql $db "SELECT count(*) FROM posts WHERE `"mediaUrl`" LIKE 'http://localhost:3000/%'" | Should -Be 140
    }

    It 'rewrites every localhost URL in one transaction, one object per column, after which no localhost URL is left' {
        $db = New-Target

        $changes = @(Update-FonanaMediaUrl -Target $db.Uri -From 'http://localhost:3000/' -To 'https://fonana.example' -Confirm:$false)

        @($changes | ForEach-Object { "$($_.Table).$($_.Column)=$($_.RowsChanged)" }) |
            Should -Be @('public.posts.mediaUrl=140', 'public.users.backgroundImage=18')
        Invoke-Sql $db "SELECT count(*) FROM posts WHERE `"mediaUrl`" LIKE 'https://fonana.example/uploads/%'" | Should -Be 140
        Test-FonanaIntegrity -Target $db.Uri -Check Media | Should -BeNullOrEmpty
        Test-FonanaIntegrity -Target $db.Uri -MediaBaseUri 'https://fonana.example' -Quiet | Should -BeTrue
    }

    It 'makes localhost URLs Errors once -MediaBaseUri says where media lives' {
        $db = New-Target
        Test-FonanaIntegrity -Target $db.Uri -MediaBaseUri 'https://fonana.example' -Quiet | Should -BeFalse
    }
}

Describe 'Assert-FonanaCounts -ReportPath' {
    BeforeAll {
        $script:Local = New-FonanaTestDatabase -Server $LocalServer -Name 'counts_local' -Kind Seeded
        $script:Archive = Join-Path $Work 'counts.fnz'
        Export-FonanaDatabase -Source $Local.Uri -Path $Archive | Out-Null
    }

    It 'passes equal databases, and the report''s headline says PASS' {
        $prod = New-FonanaTestDatabase -Server $ProdServer -Name 'counts_equal' -Kind Empty
        Import-FonanaDatabase -Path $Archive -Target $prod.Uri -Confirm:$false | Out-Null
        $dir = Join-Path $Work 'equal-reports'
        New-Item -ItemType Directory $dir | Out-Null

        $rows = @(Assert-FonanaCounts -Target $prod.Uri -Path $Archive -Checksum -ReportPath $dir)
        $report = Read-Report (Join-Path $dir 'row-counts')

        $rows.Match | Should -Not -Contain $false
        $report.Markdown | Should -Match '^# ✅ PASS: Row counts'
        $report.Json.passed | Should -BeTrue
        [int]$report.JUnit.testsuites.tests | Should -Be $rows.Count
        [int]$report.JUnit.testsuites.failures | Should -Be 0
    }

    It 'fails on one deleted row and one changed value, after writing a report that names both' {
        $prod = New-FonanaTestDatabase -Server $ProdServer -Name 'counts_damaged' -Kind Empty
        Import-FonanaDatabase -Path $Archive -Target $prod.Uri -Confirm:$false | Out-Null
        Invoke-Sql $prod 'DELETE FROM likes WHERE id = (SELECT min(id) FROM likes)' | Out-Null
        Invoke-Sql $prod "UPDATE users SET bio = 'changed' WHERE id = (SELECT min(id) FROM users)" | Out-Null
        $base = Join-Path $Work 'damaged-counts'

        { Assert-FonanaCounts -Target $prod.Uri -Path $Archive -Checksum -ReportPath "$base.md" } |
            Should -Throw -ErrorId 'RowCountMismatch,FonanaMigration.Commands.AssertFonanaRowCountCommand'
        $report = Read-Report $base

        $report.Markdown | Should -Match '^# ❌ FAIL: Row counts'
        $lines = $report.Markdown -split "`n" | Where-Object { $_ -like '| *' }
        $lines[1] | Should -BeLike '| ❌ fail | public.likes | 8 | 7 |*'
        $lines[2] | Should -BeLike '| ❌ fail | public.users | 96 | 96 | DIFFERENT |*'
        [int]$report.JUnit.testsuites.failures | Should -Be 2
        @($report.JUnit.SelectNodes('//testcase[failure]').name) | Should -Be @('public.likes', 'public.users')
        ($report.Json.results | Where-Object name -eq 'public.users').checksumMatch | Should -BeFalse
    }

    It 'never writes a password into a report file' {
        $prod = New-FonanaTestDatabase -Server $ProdServer -Name 'counts_password' -Kind Seeded
        $dir = Join-Path $Work 'password-reports/'
        Assert-FonanaCounts -Target $prod.KeyValue -Source $Local.Uri -ReportPath $dir | Out-Null
        Test-FonanaIntegrity -Target $prod.KeyValue -Source $Local.Uri -ReportPath $dir | Out-Null

        $files = Get-ChildItem $dir -File
        $files.Count | Should -Be 6
        foreach ($file in $files) {
            Get-Content -LiteralPath $file.FullName -Raw | Should -Not -Match $TestPassword
            Get-Content -LiteralPath $file.FullName -Raw | Should -Match 'fonana_user@127\.0\.0\.1'
        }
    }
}

Describe 'Progress bars on large databases' {
    BeforeAll {
        # Runs one command line in a fresh runspace, so its Progress stream can be read record by record.
        function Invoke-WithProgress([string] $CommandLine) {
            $ps = [powershell]::Create()
            $null = $ps.AddScript("`$ProgressPreference = 'Continue'; Import-Module '$((Get-Module FonanaMigration).Path)'; $CommandLine")
            try { [pscustomobject]@{ Output = @($ps.Invoke()); Progress = @($ps.Streams.Progress) } }
            finally { $ps.Dispose() }
        }
    }

    It 'shows a progress bar that names each table in turn, moves forward by rows and completes' {
        $source = New-Target
        $target = New-Target
        $run = Invoke-WithProgress "Assert-FonanaCounts -Target '$($target.Uri)' -Source '$($source.Uri)' -Checksum"
        $out = $run.Output
        $records = $run.Progress
        $out.Count | Should -BeGreaterThan 0
        $steps = @($records | Where-Object { $_.Activity -eq 'Comparing row counts and checksums' -and $_.RecordType -eq 'Processing' })
        $steps.Count | Should -Be $out.Count -Because 'one step per compared table'
        foreach ($table in $ExpectedCounts.Keys) {
            ($steps.StatusDescription -join "`n") | Should -Match ([regex]::Escape($table))
        }
        $percents = @($steps.PercentComplete)
        for ($i = 1; $i -lt $percents.Count; $i++) { $percents[$i] | Should -BeGreaterOrEqual $percents[$i - 1] }
        $percents[-1] | Should -BeLessThan 100 -Because 'the last table is still to do when its step starts'
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'shows Test-FonanaSchema reading each side in turn' {
        $db = (New-Target).Uri
        $run = Invoke-WithProgress "Test-FonanaSchema -Source '$db' -Target '$db' -Quiet"
        $run.Output | Should -Be @($true)
        @($run.Progress | Where-Object { $_.Activity -eq 'Comparing schemas' -and $_.RecordType -eq 'Processing' }).StatusDescription |
            Should -Be @("Reading the source's schema (1 of 2)", "Reading the target's schema (2 of 2)")
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }
}
