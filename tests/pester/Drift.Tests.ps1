# A drifted schema, as a PowerShell user meets it: a source changed with `prisma db push` (tests/fixtures/fonana/drift),
# a target the migrations built. Explained, refused without a map, a map drafted, decided and used through Copy and
# through Export | Import, and a map that would lose data it does not name refused before anything is written.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:LocalServer = Start-FonanaTestServer -Name driftlocal
    $script:ProdServer = Start-FonanaTestServer -Name driftprod
    $script:Work = New-TestDirectory
    $script:Seq = 0
    function New-DriftPair {
        $script:Seq++
        [pscustomobject]@{
            Local = New-FonanaTestDatabase -Server $LocalServer -Name "drifted$Seq" -Kind Drifted
            Prod  = New-FonanaTestDatabase -Server $ProdServer -Name "migrated$Seq" -Kind Migrated
        }
    }
    function Get-Value($Server, $Db, $Sql) { Invoke-FonanaTestSql -Server $Server -Database $Db.Name -Sql $Sql }
    # Accepts every suggestion the draft marked Decide: what a person does after reading them.
    function Set-Decided($Path, $To) {
        (Get-Content -Raw $Path) -replace "Decide = '(?:[^']|'')*'; ", '' | Set-Content -Path $To
    }
    function Assert-MigratedThroughMap($Pair, $Result) {
        $Result.Verified | Should -BeTrue
        foreach ($table in 'users', 'posts', 'conversations', 'messages', 'notifications') {
            Get-Value $ProdServer $Pair.Prod "SELECT count(*) FROM `"$table`"" | Should -Be (Get-Value $LocalServer $Pair.Local "SELECT count(*) FROM `"$table`"")
        }
        $participants = Get-Value $LocalServer $Pair.Local 'SELECT string_agg(p, '','' ORDER BY p) FROM (SELECT id || '':'' || "fromUserId" AS p FROM conversations UNION SELECT id || '':'' || "toUserId" FROM conversations) s'
        Get-Value $ProdServer $Pair.Prod 'SELECT string_agg("A" || '':'' || "B", '','' ORDER BY "A" || '':'' || "B") FROM "_ConversationParticipants"' | Should -Be $participants
        Get-Value $ProdServer $Pair.Prod "SELECT count(*) FROM notifications WHERE type = 'SYSTEM'" |
            Should -Be (Get-Value $LocalServer $Pair.Local "SELECT count(*) FROM notifications WHERE type = 'SYSTEM_ANNOUNCEMENT'")
        ($Result.Dropped | Where-Object Object -eq 'public.users.token').Discarded | Should -Be (Get-Value $LocalServer $Pair.Local 'SELECT count(token) FROM users')
    }
}

AfterAll {
    Stop-FonanaTestServer $LocalServer
    Stop-FonanaTestServer $ProdServer
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Test-FonanaSchema on a drifted source' {
    BeforeAll {
        $script:Pair = New-DriftPair
        $script:Differences = @(Test-FonanaSchema -Source $Pair.Local.Uri -Target $Pair.Prod.Uri)
    }

    It 'says the source was probably changed with db push, since the histories agree' {
        $Differences[0].Kind | Should -Be 'SchemaDrift'
        $Differences[0].Message | Should -Match 'db push'
    }

    It 'says for every Blocking difference what happens to the data and which map entry resolves it' {
        $blocking = @($Differences | Where-Object Severity -eq Blocking)
        $blocking.Count | Should -BeGreaterThan 3
        foreach ($d in $blocking) {
            $d.Impact | Should -Not -BeNullOrEmpty -Because "$($d.Kind) $($d.Object)"
            $d.Resolution | Should -Not -BeNullOrEmpty -Because "$($d.Kind) $($d.Object)"
        }
        $token = $Differences | Where-Object Object -eq 'public.users.token'
        $token.Impact | Should -Match '^96 non-NULL values would be lost'
        $token.Resolution | Should -Match "Columns\['public.users.token'\]"
        ($Differences | Where-Object Kind -eq 'EnumLabelMissing').Impact | Should -Match "9 rows hold 'SYSTEM_ANNOUNCEMENT'"
    }

    It 'groups the join table with the columns that replaced it' {
        $group = ($Differences | Where-Object Object -eq 'public."_ConversationParticipants"').Group
        $group | Should -Not -BeNullOrEmpty
        ($Differences | Where-Object Object -eq 'public.conversations."fromUserId"').Group | Should -Be $group
        ($Differences | Where-Object Object -eq 'public.conversations."toUserId"').Group | Should -Be $group
    }
}

Describe 'Moving a drifted source through a migration map' {
    BeforeAll {
        $script:Draft = Join-Path $Work 'draft.psd1'
        $script:Decided = Join-Path $Work 'decided.psd1'
        $script:DraftPair = New-DriftPair
        $script:Written = New-FonanaMigrationMap -Source $DraftPair.Local.Uri -Target $DraftPair.Prod.Uri -Path $Draft -Confirm:$false
        Set-Decided $Draft $Decided
    }

    It 'is refused without a map, as incompatible' {
        { Copy-FonanaDatabase -Source $DraftPair.Local.Uri -Target $DraftPair.Prod.Uri -Confirm:$false } |
            Should -Throw -ErrorId 'SchemaIncompatible,FonanaMigration.Commands.CopyFonanaDatabaseCommand'
    }

    It 'drafts a map with the decidable entries filled and the person-only ones marked' {
        $Written.FullName | Should -Be $Draft
        $map = Import-PowerShellDataFile $Draft
        $map.Columns['public.posts.imageAspectRatio'] | Should -Be '"imageAspectRatio"::text'
        $map.Columns['public.users.token'].Decide | Should -Not -BeNullOrEmpty
        $map.Tables['public._ConversationParticipants'].Decide | Should -Not -BeNullOrEmpty
        $map.Tables['public._ConversationParticipants'].From | Should -Match 'fromUserId'
        $map.EnumLabels['public.NotificationType']['SYSTEM_ANNOUNCEMENT'].To | Should -Be 'SYSTEM'
        { New-FonanaMigrationMap -Source $DraftPair.Local.Uri -Target $DraftPair.Prod.Uri -Path $Draft } |
            Should -Throw -ErrorId 'MigrationMapFileExists,FonanaMigration.Commands.NewFonanaMigrationMapCommand'
    }

    It 'refuses the draft until its decisions are made, listing each, and writes nothing' {
        $err = $null
        try { Copy-FonanaDatabase -Source $DraftPair.Local.Uri -Target $DraftPair.Prod.Uri -Map $Draft -Confirm:$false } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'MigrationMapInvalid,FonanaMigration.Commands.CopyFonanaDatabaseCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match "Undecided: Columns\['public.users.token'\]"
        $err.Exception.Message | Should -Match "Undecided: Tables\['public._ConversationParticipants'\]"
        Get-Value $ProdServer $DraftPair.Prod 'SELECT count(*) FROM users' | Should -Be 0
    }

    It 'migrates and verifies through Copy once decided' {
        $pair = New-DriftPair
        $result = Copy-FonanaDatabase -Source $pair.Local.Uri -Target $pair.Prod.Uri -Map $Decided -Confirm:$false
        Assert-MigratedThroughMap $pair $result
    }

    It 'migrates and verifies through Export | Import once decided' {
        $pair = New-DriftPair
        $archive = Join-Path $Work 'drifted.fnz'
        $result = Export-FonanaDatabase -Source $pair.Local.Uri -Path $archive | Import-FonanaDatabase -Target $pair.Prod.Uri -Map $Decided -Confirm:$false
        Assert-MigratedThroughMap $pair $result
    }

    It 'refuses a map that would lose data it does not name, before anything is written' {
        $pair = New-DriftPair
        $map = Import-PowerShellDataFile $Decided
        $map.Columns.Remove('public.users.token')
        { Copy-FonanaDatabase -Source $pair.Local.Uri -Target $pair.Prod.Uri -Map $map -Confirm:$false } |
            Should -Throw -ErrorId 'MigrationMapInvalid,FonanaMigration.Commands.CopyFonanaDatabaseCommand' -ExpectedMessage '*users.token*would be lost*'
        Get-Value $ProdServer $pair.Prod 'SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM "_ConversationParticipants")' | Should -Be 0
    }

    It 'refuses a malformed map before connecting, and a missing map file' {
        { Copy-FonanaDatabase -Source 'postgresql://u@127.0.0.1:1/x' -Target 'postgresql://u@127.0.0.1:2/y' -Map @{ Colums = @{} } -Confirm:$false } |
            Should -Throw -ErrorId 'MigrationMapInvalid,FonanaMigration.Commands.CopyFonanaDatabaseCommand' -ExpectedMessage "*Unknown section 'Colums'*"
        { Import-FonanaDatabase -Path nowhere.fnz -Target 'postgresql://u@127.0.0.1:1/x' -Map (Join-Path $Work 'none.psd1') -Confirm:$false } |
            Should -Throw -ErrorId 'MigrationMapNotFound,FonanaMigration.Commands.ImportFonanaDatabaseCommand'
    }
}
