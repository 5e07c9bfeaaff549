# Test-FonanaSchema and Get-FonanaSchema as a person or a runbook uses them, against real servers.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Local = Start-FonanaTestServer -Name schema-local
    $script:Prod = Start-FonanaTestServer -Name schema-prod
    $script:Work = New-TestDirectory
    $script:Source = New-FonanaTestDatabase -Server $Local -Name src -Kind Seeded
    function New-Target([string] $Change) {
        $db = New-FonanaTestDatabase -Server $Prod -Kind Empty
        if ($Change) { Invoke-FonanaTestSql -Server $Prod -Database $db.Name -Sql "SET ROLE fonana_user; $Change" | Out-Null }
        $db
    }
    # The one difference of this kind, Blocking, after which -Quiet says $false.
    function Get-BlockingDifference([string] $Source, [string] $Target, [string] $Kind) {
        $d = @(Test-FonanaSchema -Source $Source -Target $Target | Where-Object Kind -eq $Kind)
        $d.Count | Should -Be 1
        $d[0].Severity | Should -Be 'Blocking'
        Test-FonanaSchema -Source $Source -Target $Target -Quiet | Should -BeFalse
        $d[0]
    }
}

AfterAll {
    Stop-FonanaTestServer $Local
    Stop-FonanaTestServer $Prod
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Test-FonanaSchema' {
    It 'finds nothing blocking between two Prisma-made Fonana schemas, and -Quiet says $true' {
        $target = New-Target
        Test-FonanaSchema -Source $Source.Uri -Target $target.Uri | Where-Object Severity -eq 'Blocking' | Should -BeNullOrEmpty
        Test-FonanaSchema -Source $Source.Uri -Target $target.Uri -Quiet | Should -BeTrue
    }

    It 'reports a dropped column as Blocking, names it, and -Quiet says $false' {
        $target = New-Target 'ALTER TABLE posts DROP COLUMN "mediaUrl"'
        $d = Get-BlockingDifference $Source.Uri $target.Uri 'MissingColumn'
        $d.Object | Should -Be 'public.posts."mediaUrl"'
        $d.Message | Should -Match 'lost'
    }

    It 'reports a partition covering another range than the source''s as Blocking, with both bounds' {
        $events = 'CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at); CREATE TABLE events_2025 PARTITION OF events '
        $source = New-FonanaTestDatabase -Server $Local -Kind Empty
        Invoke-FonanaTestSql -Server $Local -Database $source.Name -Sql "SET ROLE fonana_user; $events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')" | Out-Null
        $target = New-Target "$events FOR VALUES FROM ('2024-07-01') TO ('2025-07-01')"
        $d = Get-BlockingDifference $source.Uri $target.Uri 'PartitionBound'
        $d.Object | Should -Be 'public.events_2025'
        $d.SourceValue | Should -Match '2025-01-01'
        $d.TargetValue | Should -Match '2024-07-01'
    }

    It 'prints as a table with the severity first, and converts to CSV and JSON with every property' {
        $target = New-Target 'DROP INDEX "posts_tags_idx"'
        $found = Test-FonanaSchema -Source $Source.Uri -Target $target.Uri
        $table = $found | Out-String -Width 250
        $table | Should -Match 'Severity\s+Kind\s+Object'
        $table | Should -Match 'Warning\s+MissingIndex\s+public\.posts\.posts_tags_idx'
        ($found | ConvertTo-Csv | ConvertFrom-Csv | Where-Object Kind -eq 'MissingIndex').SourceValue | Should -Match 'USING gin'
        ($found | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json | Where-Object Kind -eq 'MissingIndex').Severity | Should -Be 'Warning'
    }

    It 'gives the same answer from a saved JSON snapshot, on either side, as from the live servers' {
        $target = New-Target 'ALTER TABLE users ADD COLUMN "tier" text NOT NULL'
        $sourceJson = Join-Path $Work 'source.json'
        $targetJson = Join-Path $Work 'target.json'
        Get-FonanaSchema -Connection $Source.Uri -Path $sourceJson | Out-Null
        Get-FonanaSchema -Connection $target.Uri -Path $targetJson | Out-Null
        $live = Test-FonanaSchema -Source $Source.Uri -Target $target.Uri | ForEach-Object { "$_" }
        $live | Should -Contain 'Blocking ExtraColumnNotNull public.users.tier: The target requires a value here that the source cannot give (NOT NULL, no default); every row would be rejected.'
        Test-FonanaSchema -Reference $sourceJson -Target $target.Uri | ForEach-Object { "$_" } | Should -Be $live
        Test-FonanaSchema -Source $Source.Uri -TargetReference $targetJson | ForEach-Object { "$_" } | Should -Be $live
        Test-FonanaSchema -Reference $sourceJson -TargetReference $targetJson | ForEach-Object { "$_" } | Should -Be $live
    }

    It 'compares a target with the schema stored in an export archive' {
        $archive = Join-Path $Work 'ref.fnz'
        Export-FonanaDatabase -Source $Source.Uri -Path $archive | Out-Null
        $target = New-Target 'ALTER TABLE posts ALTER COLUMN price TYPE numeric(8,2)'
        $d = Test-FonanaSchema -Reference $archive -Target $target.Uri | Where-Object Kind -eq 'ColumnType'
        $d.Object | Should -Be 'public.posts.price'
        $d.TargetValue | Should -Be 'numeric(8,2)'
    }

    It 'names the missing database in an ObjectNotFound error' {
        $missing = $Prod.ConnectionUri('fonana_user', 'fonana_pass', 'no_such_db')
        $err = $null
        try { Test-FonanaSchema -Source $Source.Uri -Target $missing } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'DatabaseNotFound,FonanaMigration.Commands.TestFonanaSchemaCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match "'no_such_db'"
        $err.Exception.Message | Should -Match "127\.0\.0\.1:$($Prod.Port)"
    }

    It 'says which file is not a schema snapshot' {
        $bad = Join-Path $Work 'bad.json'
        Set-Content $bad '{ "this is": "not a snapshot" ]'
        { Test-FonanaSchema -Reference $bad -Target $Source.Uri } | Should -Throw -ErrorId 'SchemaFileInvalid,FonanaMigration.Commands.TestFonanaSchemaCommand'
    }
}

Describe 'Get-FonanaSchema' {
    It 'returns the snapshot with tables, enums and the Prisma history' {
        $s = Get-FonanaSchema -Connection $Source.Uri
        $s.Tables.Name | Should -Contain 'users'
        ($s.Enums | Where-Object Name -eq 'UserRole').Labels | Should -Be @('USER', 'CREATOR', 'MODERATOR', 'ADMIN')
        $s.PrismaMigrations.Count | Should -Be 4
        ($s.Tables | Where-Object Name -eq 'users').Columns.Name | Should -Contain 'isCreator'
    }

    It 'writes nothing under -WhatIf' {
        $path = Join-Path $Work 'whatif.json'
        Get-FonanaSchema -Connection $Source.Uri -Path $path -WhatIf | Out-Null
        Test-Path $path | Should -BeFalse
    }
}
