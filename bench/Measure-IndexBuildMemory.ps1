#requires -Version 7.4
<#
.SYNOPSIS
    Does SET LOCAL maintenance_work_mem = '512MB' (what the load now does before rebuilding keys and indexes) speed up
    the index builds of a Fonana-sized load? Measured, not assumed: the same PRIMARY KEY + CREATE INDEX on 1 M
    comments-shaped rows (cuid-like text keys, the largest sorts of the scale-1 data set), 64 MB (the server default)
    and 512 MB interleaved in the same server, each rolled back.
.EXAMPLE
    dotnet build FonanaMigration.sln -c Release; dotnet pwsh ./bench/Measure-IndexBuildMemory.ps1 -Rounds 3
#>
[CmdletBinding()]
param([ValidateRange(1, 20)] [int] $Rounds = 3, [int] $Rows = 1000000)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Add-Type -Path (Join-Path $root 'tests/FonanaMigration.Testing/bin/Release/net8.0/FonanaMigration.Testing.dll')
$parent = if (Test-Path '/dev/shm') { '/dev/shm' } else { $null }
$server = [FonanaMigration.Testing.PostgresServer]::Start([FonanaMigration.Testing.PostgresServerOptions]@{ Name = 'bench-index-memory'; ParentDirectory = $parent })
try {
    $server.ExecuteSql('postgres', "CREATE TABLE c (id text, post text, body text); INSERT INTO c SELECT 'c' || md5(i::text), 'p' || md5((i % 250000)::text), repeat('x', 150) FROM generate_series(1, $Rows) i; VACUUM ANALYZE c; CHECKPOINT;")
    $results = foreach ($round in 1..$Rounds) {
        foreach ($memory in '64MB', '512MB') {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $server.ExecuteSql('postgres', "BEGIN; SET LOCAL maintenance_work_mem = '$memory'; ALTER TABLE c ADD PRIMARY KEY (id); CREATE INDEX ON c (post); ROLLBACK;")
            [pscustomobject]@{ Round = $round; MaintenanceWorkMem = $memory; Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 2) }
        }
    }
    $results | Format-Table -AutoSize | Out-Host
    $median = { param($m) $v = @($results | Where-Object MaintenanceWorkMem -eq $m | Sort-Object Seconds); $v[[int][math]::Floor($v.Count / 2)].Seconds }
    '512MB / 64MB (medians): {0:0.00}x; load average {1}' -f ((& $median '512MB') / (& $median '64MB')), ((Get-Content /proc/loadavg) -split ' ')[0]
}
finally { $server.Dispose() }
