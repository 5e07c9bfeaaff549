# Online migration as a PowerShell user runs it: Start-, Get-, Complete- and Stop-FonanaReplication in real pwsh
# against two throwaway servers with wal_level = logical. The engine's flows (writers, aborts at each stage,
# partitions) are proven by tests/FonanaMigration.Engine.Tests/ReplicationTests.cs; this file proves the cmdlets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $logical = @{ wal_level = 'logical'; max_replication_slots = '10'; max_wal_senders = '10'; wal_receiver_status_interval = '1' }
    $script:SourceServer = Start-FonanaTestServer -Name rsource -Setting $logical
    $script:TargetServer = Start-FonanaTestServer -Name rtarget -Setting $logical
    Invoke-FonanaTestSql -Server $SourceServer -Database postgres -Sql 'ALTER ROLE fonana_user REPLICATION' | Out-Null

    # The target as its superuser: on PostgreSQL 15 only a superuser may subscribe.
    function New-Pair {
        $source = New-FonanaTestDatabase -Server $SourceServer -Kind Seeded
        $target = New-FonanaTestDatabase -Server $TargetServer -Kind Empty
        [pscustomobject]@{
            Source = $source
            Target = $target
            TargetUri = $TargetServer.ConnectionUri($TargetServer.SuperuserName, $TargetServer.SuperuserPassword, $target.Name)
        }
    }
    function Get-Leftover($Pair) {
        [pscustomobject]@{
            Publications = Invoke-FonanaTestSql -Server $SourceServer -Database $Pair.Source.Name -Sql 'SELECT count(*) FROM pg_publication'
            Slots = Invoke-FonanaTestSql -Server $SourceServer -Database $Pair.Source.Name -Sql 'SELECT count(*) FROM pg_replication_slots WHERE database = current_database()'
            Subscriptions = Invoke-FonanaTestSql -Server $TargetServer -Database $Pair.Target.Name -Sql 'SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())'
        }
    }
}

AfterAll {
    Stop-FonanaTestServer $SourceServer
    Stop-FonanaTestServer $TargetServer
}

Describe 'Start, Get, Complete' {
    It 'migrates online: Start writes the replication, Get -Wait its tables, Complete a verified cut-over, and nothing is left' {
        $pair = New-Pair
        $started = Start-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -ReplicaIdentity UniqueIndex -Confirm:$false -WarningAction SilentlyContinue
        $started | Should -BeOfType ([FonanaMigration.Engine.Replication.ReplicationStatus])
        $started.Name | Should -Match '^fonana_mig_[0-9a-f]{8}$'

        $status = @(Get-FonanaReplication -Target $pair.TargetUri -Source $pair.Source.Uri -Wait)
        $whole = @($status | Where-Object { $_ -is [FonanaMigration.Engine.Replication.ReplicationStatus] })
        $whole.Count | Should -Be 1
        $whole[0].State | Should -Be 'Ready'
        $tables = @($status | Where-Object { $_ -is [FonanaMigration.Engine.Replication.ReplicationTableStatus] })
        $tables.Count | Should -Be 13
        ($status | Out-String) | Should -Match 'fonana_mig_'

        Invoke-FonanaTestSql -Server $SourceServer -Database $pair.Source.Name -Sql "UPDATE posts SET title = 'after the copy' WHERE id = (SELECT min(id) FROM posts)" | Out-Null
        $done = Complete-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -Confirm:$false
        $done.Verified | Should -BeTrue
        $done.TableResults.Count | Should -Be 13
        $done.Downtime | Should -BeOfType ([timespan])
        ($done | Out-String) | Should -Match 'True'

        Assert-FonanaCounts -Target $pair.Target.Uri -Source $pair.Source.Uri -Checksum | Out-Null
        $left = Get-Leftover $pair
        $left.Publications, $left.Slots, $left.Subscriptions | Should -Be @('0', '0', '0')
        @(Get-FonanaReplication -Target $pair.TargetUri -Source $pair.Source.Uri).Count | Should -Be 0
    }

    It 'warns that a password in the subscription''s connection is kept in the target''s catalog, without showing it' {
        $pair = New-Pair
        $null = Start-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -ReplicaIdentity UniqueIndex -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        try {
            ($warnings -join ' ') | Should -Match 'pg_subscription'
            ($warnings -join ' ') | Should -Not -Match $TestPassword
        }
        finally {
            Stop-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -Confirm:$false | Out-Null
        }
    }
}

Describe 'Refusals before anything is created' {
    It 'refuses tables without a primary key by default, naming them, and creates nothing' {
        $pair = New-Pair
        $err = $null
        try { Start-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -Confirm:$false -WarningAction SilentlyContinue } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'TableWithoutReplicaIdentity,FonanaMigration.Commands.StartFonanaReplicationCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Contain 'public.verification_tokens'
        $left = Get-Leftover $pair
        $left.Publications, $left.Slots, $left.Subscriptions | Should -Be @('0', '0', '0')
    }

    It 'gives a target role that may not subscribe the clear error' {
        $pair = New-Pair
        { Start-FonanaReplication -Source $pair.Source.Uri -Target $pair.Target.Uri -ReplicaIdentity UniqueIndex -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'TargetCannotSubscribe,FonanaMigration.Commands.StartFonanaReplicationCommand'
        (Get-Leftover $pair).Slots | Should -Be '0'
    }

    It '-WhatIf creates nothing' {
        $pair = New-Pair
        Start-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -ReplicaIdentity UniqueIndex -WhatIf -WarningAction SilentlyContinue
        $left = Get-Leftover $pair
        $left.Publications, $left.Slots, $left.Subscriptions | Should -Be @('0', '0', '0')
    }
}

Describe 'Stop-FonanaReplication' {
    It 'removes everything during the copy and, with -Clean, empties the target' {
        $pair = New-Pair
        $started = Start-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -ReplicaIdentity UniqueIndex -Confirm:$false -WarningAction SilentlyContinue
        $removed = @(Stop-FonanaReplication -Source $pair.Source.Uri -Target $pair.TargetUri -Clean -Confirm:$false)
        $removed.Count | Should -Be 1
        $removed[0].Name | Should -Be $started.Name
        $removed[0].SubscriptionDropped | Should -BeTrue
        $removed[0].PublicationDropped | Should -BeTrue
        $left = Get-Leftover $pair
        $left.Publications, $left.Slots, $left.Subscriptions | Should -Be @('0', '0', '0')
        Invoke-FonanaTestSql -Server $TargetServer -Database $pair.Target.Name -Sql 'SELECT count(*) FROM users' | Should -Be '0'
    }

    It 'needs at least one server' {
        { Stop-FonanaReplication -Confirm:$false } | Should -Throw -ErrorId 'NothingToStop,FonanaMigration.Commands.StopFonanaReplicationCommand'
    }
}
