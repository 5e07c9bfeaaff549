#requires -Version 7.4
<#
.SYNOPSIS
    Online migration benchmark: time until every table is ready (the servers copy directly) beside
    Copy-FonanaDatabase's time, and the cut-over downtime after a writer ran during the copy and the catch-up.
.DESCRIPTION
    Starts two throwaway servers with wal_level = logical through the test fixture, fills the source with
    bench/New-FonanaBenchData.sql at -Scale, then:
      1. Copy-FonanaDatabase into a fresh empty target database (the offline baseline; no writer).
      2. In another fresh target database: a writer starts on the source (a procedure committing an insert, an update
         and a delete every few milliseconds, as an application would), Start-FonanaReplication, Get-FonanaReplication
         -Wait (time to ready), the writer keeps writing -WriterSeconds more (catch-up), then the writer is ended (the
         application stops) and Complete-FonanaReplication cuts over. Its Downtime (from the moment it notes the
         source's last write to the target ready and everything removed) is the number that matters to a person
         whose site is down; the wall time from the writer's end to the cut-over's return is recorded too.
    Both results are verified with Assert-FonanaCounts -Checksum against the source. Writes <date>-replication-scale<N>.md
    and .json to -OutputPath. Speed is measured here only; tests never assert on time.
.EXAMPLE
    dotnet pwsh ./bench/Invoke-FonanaReplicationBenchmark.ps1 -Scale 0.05
    dotnet pwsh ./bench/Invoke-FonanaReplicationBenchmark.ps1 -Scale 1 -WriterSeconds 30    # the bench's largest scale: run on a quiet machine
#>
[CmdletBinding()]
param(
    [ValidateRange(0.001, 100)] [double] $Scale = 0.05,
    [ValidateRange(0, 3600)] [int] $WriterSeconds = 10,
    [string] $OutputPath = (Join-Path $PSScriptRoot 'results'),
    [switch] $Build
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$inv = [Globalization.CultureInfo]::InvariantCulture
$root = Split-Path -Parent $PSScriptRoot
$modulePath = Join-Path $root 'out/FonanaMigration/FonanaMigration.psd1'
$fixtureDll = Join-Path $root 'tests/FonanaMigration.Testing/bin/Release/net8.0/FonanaMigration.Testing.dll'
if ($Build -or -not (Test-Path $modulePath) -or -not (Test-Path $fixtureDll)) {
    & dotnet build (Join-Path $root 'FonanaMigration.sln') -c Release -v q -nologo -clp:ErrorsOnly | Out-Host
    & dotnet build (Join-Path $root 'tests/FonanaMigration.Testing') -c Release -v q -nologo -clp:ErrorsOnly | Out-Host
}
Add-Type -Path $fixtureDll
Import-Module $modulePath
$clock = [Diagnostics.Stopwatch]::StartNew()
function Write-Step([string] $Text) { Write-Host ("[{0,7:N1}s] {1}" -f $clock.Elapsed.TotalSeconds, $Text) }

function Start-LogicalServer([string] $Name) {
    $options = [FonanaMigration.Testing.PostgresServerOptions]::new()
    $options.Name = $Name
    foreach ($s in @{ wal_level = 'logical'; max_replication_slots = '20'; max_wal_senders = '20'; max_logical_replication_workers = '8'; wal_receiver_status_interval = '1' }.GetEnumerator()) {
        $options.Settings[$s.Key] = $s.Value
    }
    $server = [FonanaMigration.Testing.PostgresServer]::Start($options)
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($server)
    $server
}

$role = [FonanaMigration.Testing.FonanaDatabase]::DefaultRole
$rolePassword = [FonanaMigration.Testing.FonanaDatabase]::DefaultPassword
$scaleText = $Scale.ToString('0.###', $inv)
$source = $null; $target = $null; $writer = $null
try {
    Write-Step 'Starting two servers with wal_level = logical'
    $source = Start-LogicalServer 'rbench-source'
    $target = Start-LogicalServer 'rbench-target'
    $source.ExecuteSql('postgres', "ALTER ROLE $role REPLICATION;")
    $sourceDb = 'bench_source'
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($source, $sourceDb)
    Write-Step "Generating the data set at scale $scaleText"
    $env:PGPASSWORD = $rolePassword
    & $source.Binaries.Psql -X -q -v ON_ERROR_STOP=1 -v "scale=$scaleText" -h $source.Host -p $source.Port -U $role -d $sourceDb -f (Join-Path $PSScriptRoot 'New-FonanaBenchData.sql')
    if ($LASTEXITCODE -ne 0) { throw 'The generator failed.' }
    $source.ExecuteSql($sourceDb, @'
CREATE PROCEDURE fonana_bench_writer() LANGUAGE plpgsql AS $w$
DECLARE i bigint := 0;
BEGIN
    LOOP
        i := i + 1;
        INSERT INTO notifications (id, "userId", type, title, message, "updatedAt")
            SELECT 'benchw' || i, "userId", type, 'written during the migration', 'w', now() FROM notifications ORDER BY id LIMIT 1;
        UPDATE posts SET title = 'edited ' || i WHERE id = (SELECT id FROM posts ORDER BY id LIMIT 1 OFFSET (i % 1000));
        DELETE FROM notifications WHERE id = 'benchw' || (i - 50);
        COMMIT;
        PERFORM pg_sleep(0.002);
    END LOOP;
END $w$;
'@, $role)
    $source.ExecuteSql('postgres', 'CHECKPOINT;')
    $sourceUri = $source.ConnectionUri($role, $rolePassword, $sourceDb)
    $tableBytes = [long]$source.QueryScalar($sourceDb, "SELECT sum(pg_table_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")

    Write-Step 'Copy-FonanaDatabase (offline baseline)'
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($target, 'bench_copy')
    $copyUri = $target.ConnectionUri($role, $rolePassword, 'bench_copy')
    $copyClock = [Diagnostics.Stopwatch]::StartNew()
    $null = Copy-FonanaDatabase -Source $sourceUri -Target $copyUri -Confirm:$false
    $copySeconds = $copyClock.Elapsed.TotalSeconds
    $null = Assert-FonanaCounts -Target $copyUri -Source $sourceUri -Checksum

    Write-Step 'Online: writer on, Start-FonanaReplication, wait until ready'
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($target, 'bench_online')
    $onlineUri = $target.ConnectionUri($target.SuperuserName, $target.SuperuserPassword, 'bench_online')
    # Start-Process joins its arguments with spaces, so the one argument with spaces carries its own quotes.
    $env:PGAPPNAME = 'fonana_bench_writer'
    $writerLog = Join-Path ([IO.Path]::GetTempPath()) 'fonana-bench-writer.err'
    $writer = Start-Process -FilePath $source.Binaries.Psql -PassThru -NoNewWindow -RedirectStandardError $writerLog -ArgumentList @(
        '-X', '-q', '-h', $source.Host, '-p', "$($source.Port)", '-U', $role, '-d', $sourceDb, '-c', '"CALL fonana_bench_writer()"')
    Remove-Item Env:PGAPPNAME
    while ($source.QueryScalar($sourceDb, "SELECT count(*) FROM notifications WHERE id LIKE 'benchw%'") -eq '0') {
        if ($writer.HasExited) { throw "The writer failed: $(Get-Content $writerLog -Raw)" }
        Start-Sleep -Milliseconds 50
    }
    $readyClock = [Diagnostics.Stopwatch]::StartNew()
    $null = Start-FonanaReplication -Source $sourceUri -Target $onlineUri -ReplicaIdentity UniqueIndex -Confirm:$false -WarningAction SilentlyContinue
    $null = Get-FonanaReplication -Target $onlineUri -Source $sourceUri -Wait
    $readySeconds = $readyClock.Elapsed.TotalSeconds
    Write-Step "Ready after $($readySeconds.ToString('N1', $inv)) s; the writer keeps writing for $WriterSeconds s (catch-up)"
    Start-Sleep -Seconds $WriterSeconds
    $lag = Get-FonanaReplication -Target $onlineUri -Source $sourceUri | Where-Object { $_ -is [FonanaMigration.Engine.Replication.ReplicationStatus] }

    Write-Step 'The application stops writing; Complete-FonanaReplication'
    $stopClock = [Diagnostics.Stopwatch]::StartNew()
    $null = $source.QueryScalar($sourceDb, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fonana_bench_writer'")
    $writer.WaitForExit()
    $cutoverLog = Join-Path ([IO.Path]::GetTempPath()) ('fonana-bench-cutover-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.jsonl')
    $done = Complete-FonanaReplication -Source $sourceUri -Target $onlineUri -Confirm:$false -LogPath $cutoverLog
    $phases = (Get-Content $cutoverLog | ConvertFrom-Json | Where-Object { $_.message -like 'Cut-over phases:*' } | Select-Object -Last 1).message
    Remove-Item $cutoverLog -ErrorAction Ignore
    $wallSeconds = $stopClock.Elapsed.TotalSeconds
    $writes = [long]$source.QueryScalar($sourceDb, "SELECT COALESCE(max(substr(id, 7)::bigint), 0) FROM notifications WHERE id LIKE 'benchw%'")
    $null = Assert-FonanaCounts -Target $onlineUri -Source $sourceUri -Checksum

    $result = [ordered]@{
        scale = $Scale; tableBytes = $tableBytes; startedAt = (Get-Date).ToUniversalTime().ToString('o')
        loadAverage = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null }
        copySeconds = $copySeconds; timeToReadySeconds = $readySeconds; writerSeconds = $WriterSeconds; writerTransactions = $writes
        bytesBehindBeforeCutover = $lag.BytesBehind
        cutoverDowntimeSeconds = $done.Downtime.TotalSeconds; cutoverCatchUpSeconds = $done.CatchUp.TotalSeconds
        writerStopToCompleteSeconds = $wallSeconds; cutoverPhases = $phases; verified = $done.Verified; rows = $done.Rows
    }
    New-Item -ItemType Directory -Force $OutputPath | Out-Null
    $stem = Join-Path $OutputPath ('{0}-replication-scale{1}' -f (Get-Date).ToString('yyyy-MM-dd'), $scaleText)
    $result | ConvertTo-Json | Set-Content "$stem.json"
    @"
# Online migration benchmark, scale $scaleText

Table data $([math]::Round($tableBytes / 1MB, 1)) MiB, $($done.Rows) rows. Load average at the end: $($result.loadAverage).

| Measure | Seconds |
|---|---:|
| Copy-FonanaDatabase (offline: downtime = all of it) | $($copySeconds.ToString('N2', $inv)) |
| Online: Start until every table ready (servers copy directly, writer running) | $($readySeconds.ToString('N2', $inv)) |
| Online: cut-over downtime (Complete's Downtime) | $($done.Downtime.TotalSeconds.ToString('N2', $inv)) |
| of which waiting for the target to apply the last writes | $($done.CatchUp.TotalSeconds.ToString('N2', $inv)) |
| Online: writer ended until Complete returned | $($wallSeconds.ToString('N2', $inv)) |

$phases

The writer committed $writes transactions (insert, update, delete) during the copy and $WriterSeconds s of catch-up. Both results verified with Assert-FonanaCounts -Checksum.
"@ | Set-Content "$stem.md"
    Get-Content "$stem.md" | Out-Host
}
finally {
    if ($writer -and -not $writer.HasExited) { $writer.Kill() }
    Remove-Item Env:PGPASSWORD -ErrorAction Ignore
    if ($target) { $target.Dispose() }
    if ($source) { $source.Dispose() }
}
