#requires -Version 7.4
<#
.SYNOPSIS
    The work after the rows are in, measured on one data set in one run, the alternatives interleaved: ANALYZE
    (one table after another; the same inside the transaction; largest first on two connections) and the key and
    index rebuild (parallel maintenance workers on or off; the engine's order or largest table first).
.DESCRIPTION
    One throwaway server, a fonana_empty copy filled by New-FonanaBenchData.sql at -Scale. Each round runs, in turn:
      ANALYZE  serial          one psql session, ANALYZE of every table one after another (what the load did after COMMIT)
               in-transaction  the same inside BEGIN … COMMIT (the statistics would commit with the rows)
               two-sessions    two psql sessions at once, tables dealt largest first to the less loaded one
      Rebuild  as the superuser, in a transaction rolled back afterwards: drop every FK, primary/unique key and index
               of the data set, then time (clock_timestamp inside the transaction) re-creating keys and indexes:
               workers-2       max_parallel_maintenance_workers = 2 (the server default), the engine's order
               workers-0       the same with no parallel workers
               largest-first   workers 2, keys and indexes of the largest table first
    Every rebuild uses maintenance_work_mem = 512MB, as the load does (IndexBuildMemory). Prints a table of every
    round and the medians, with the load average; -OutputPath writes it as Markdown too.
.EXAMPLE
    dotnet build FonanaMigration.sln -c Release; dotnet pwsh ./bench/Measure-PostLoadWork.ps1 -Scale 0.1 -Rounds 3
#>
[CmdletBinding()]
param(
    [ValidateRange(0.001, 100)] [double] $Scale = 0.1,
    [ValidateRange(1, 20)] [int] $Rounds = 3,
    [switch] $OnDisk,
    [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$inv = [Globalization.CultureInfo]::InvariantCulture
$root = Split-Path $PSScriptRoot -Parent
Add-Type -Path (Join-Path $root 'tests/FonanaMigration.Testing/bin/Release/net8.0/FonanaMigration.Testing.dll')
$role = 'fonana_user'; $rolePassword = 'fonana_pass'; $db = 'fonana_bench'
$parent = if ($env:FONANA_PG_TMPDIR) { $env:FONANA_PG_TMPDIR } elseif ($OnDisk -or -not (Test-Path '/dev/shm')) { '/var/tmp' } else { '/dev/shm' }
$server = [FonanaMigration.Testing.PostgresServer]::Start([FonanaMigration.Testing.PostgresServerOptions]@{ Name = 'bench-post-load'; ParentDirectory = $parent; TimeZone = 'UTC' })
$work = Join-Path $server.RootDirectory 'post-load'
New-Item -ItemType Directory -Force $work | Out-Null
$psql = Join-Path $server.BinDirectory 'psql'
$load = { ((Get-Content /proc/loadavg) -split ' ')[0] }

# One psql process per session; returns it started so two can run at once.
function Start-Psql([string] $User, [string] $Password, [string] $File, [string[]] $Variables = @()) {
    $info = [Diagnostics.ProcessStartInfo]::new($psql)
    foreach ($a in @($Variables | ForEach-Object { '-v', $_ }) + @('-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', $server.Host, '-p', "$($server.Port)", '-U', $User, '-d', $db, '-f', $File)) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false; $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true
    $info.Environment['PGPASSWORD'] = $Password
    $p = [Diagnostics.Process]::Start($info)
    [pscustomobject]@{ Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
}
function Wait-Psql($Run) {
    $Run.Process.WaitForExit()
    if ($Run.Process.ExitCode -ne 0) { throw "psql failed (exit $($Run.Process.ExitCode)): $($Run.Err.GetAwaiter().GetResult()) $($Run.Out.GetAwaiter().GetResult())" }
    $Run.Out.GetAwaiter().GetResult()
}
function Write-Script([string] $Name, [string[]] $Lines) { $path = Join-Path $work $Name; Set-Content -LiteralPath $path -Value ($Lines -join "`n") -Encoding utf8NoBOM; $path }

try {
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($server)
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($server, $db)
    $scaleText = $Scale.ToString('0.###', $inv)
    Write-Host "Generating scale $scaleText under $parent"
    $gen = Start-Psql $role $rolePassword (Join-Path $PSScriptRoot 'New-FonanaBenchData.sql') @("scale=$scaleText")
    [void](Wait-Psql $gen)
    $server.ExecuteSql($db, 'VACUUM; CHECKPOINT;')

    # Tables largest first; the engine's order is the schema's (by name), so that order stands for "today".
    $tables = @($server.QueryScalar($db, @'
SELECT format('%I.%I', n.nspname, c.relname) || '|' || pg_table_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_table_size(c.oid) DESC
'@) -split "`n" | ForEach-Object { $f = $_ -split '\|'; [pscustomobject]@{ Name = $f[0]; Bytes = [long]$f[1] } })
    $byName = @($tables | Sort-Object Name)
    $serial = Write-Script 'analyze-serial.sql' @($byName | ForEach-Object { "ANALYZE $($_.Name);" })
    $inTx = Write-Script 'analyze-in-tx.sql' (@('BEGIN;') + @($byName | ForEach-Object { "ANALYZE $($_.Name);" }) + @('COMMIT;'))
    # Largest first, each to the session with fewer bytes so far: the static form of two workers sharing one queue.
    $sessions = @([Collections.Generic.List[string]]::new(), [Collections.Generic.List[string]]::new()); $bytes = @(0L, 0L)
    foreach ($t in $tables) { $i = if ($bytes[0] -le $bytes[1]) { 0 } else { 1 }; $sessions[$i].Add("ANALYZE $($t.Name);"); $bytes[$i] += $t.Bytes }
    $two = @((Write-Script 'analyze-a.sql' $sessions[0]), (Write-Script 'analyze-b.sql' $sessions[1]))

    # Keys and indexes of the data set as the catalog has them, in the engine's order (keys then indexes, by table name).
    $ddl = $server.QueryScalar($db, @'
WITH k AS (
  SELECT c.conrelid::regclass::text AS t, pg_table_size(c.conrelid) AS size, 0 AS kind,
         format('ALTER TABLE ONLY %s ADD CONSTRAINT %I %s;', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS make,
         format('ALTER TABLE ONLY %s DROP CONSTRAINT %I CASCADE;', c.conrelid::regclass, c.conname) AS drop
  FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u')
  UNION ALL
  SELECT i.indrelid::regclass::text, pg_table_size(i.indrelid), 1, pg_get_indexdef(i.indexrelid) || ';', format('DROP INDEX %s;', i.indexrelid::regclass)
  FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
  WHERE x.relnamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')))
SELECT kind || '|' || t || '|' || size || '|' || make || '|' || drop FROM k
'@) -split "`n" | ForEach-Object { $f = $_ -split '\|', 5; [pscustomobject]@{ Kind = [int]$f[0]; Table = $f[1]; Size = [long]$f[2]; Make = $f[3]; Drop = $f[4] } }
    $dropFks = $server.QueryScalar($db, "SELECT string_agg(format('ALTER TABLE ONLY %s DROP CONSTRAINT %I;', conrelid::regclass, conname), ' ') FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f'")
    $engineOrder = @($ddl | Sort-Object Kind, Table)
    $largestFirst = @($ddl | Sort-Object @{ Expression = 'Size'; Descending = $true }, Table, Kind)
    $rebuild = { param([string] $Name, [int] $Workers, $Order)
        Write-Script "rebuild-$Name.sql" (@('BEGIN;', $dropFks) + @($ddl | ForEach-Object Drop) +
            @("SET LOCAL maintenance_work_mem = '512MB';", "SET LOCAL max_parallel_maintenance_workers = $Workers;", 'SELECT extract(epoch FROM clock_timestamp());') +
            @($Order | ForEach-Object Make) + @('SELECT extract(epoch FROM clock_timestamp());', 'ROLLBACK;')) }
    $rebuilds = [ordered]@{ 'workers-2' = (& $rebuild 'workers-2' 2 $engineOrder); 'workers-0' = (& $rebuild 'workers-0' 0 $engineOrder); 'largest-first' = (& $rebuild 'largest-first' 2 $largestFirst) }
    Write-Host ("{0} tables, {1} keys/indexes; {2:N1} MiB of table data" -f $tables.Count, $ddl.Count, (($tables | Measure-Object Bytes -Sum).Sum / 1MB))

    $results = foreach ($round in 1..$Rounds) {
        foreach ($variant in 'serial', 'in-transaction', 'two-sessions') {
            $server.ExecuteSql('postgres', 'CHECKPOINT;')
            $before = & $load
            $clock = [Diagnostics.Stopwatch]::StartNew()
            switch ($variant) {
                'serial' { [void](Wait-Psql (Start-Psql $role $rolePassword $serial)) }
                'in-transaction' { [void](Wait-Psql (Start-Psql $role $rolePassword $inTx)) }
                'two-sessions' { $runs = @($two | ForEach-Object { Start-Psql $role $rolePassword $_ }); $runs | ForEach-Object { [void](Wait-Psql $_) } }
            }
            [pscustomobject]@{ Round = $round; Work = 'ANALYZE'; Variant = $variant; Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 2); Load = $before }
        }
        foreach ($variant in $rebuilds.Keys) {
            $server.ExecuteSql('postgres', 'CHECKPOINT;')
            $before = & $load
            $stamps = @((Wait-Psql (Start-Psql $server.SuperuserName $server.SuperuserPassword $rebuilds[$variant])) -split "`n" | Where-Object { $_ -match '^\d+(\.\d+)?$' })
            [pscustomobject]@{ Round = $round; Work = 'keys + indexes'; Variant = $variant; Seconds = [math]::Round([double]::Parse($stamps[-1], $inv) - [double]::Parse($stamps[0], $inv), 2); Load = $before }
        }
    }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add("# After-load work at scale $scaleText ($(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC; $([Environment]::ProcessorCount) CPUs; storage $parent)")
    $lines.Add('')
    $lines.Add('| Work | Variant | Median s | × first variant | Per round (s) | Load average at each start |')
    $lines.Add('|---|---|---:|---:|---|---|')
    foreach ($work in 'ANALYZE', 'keys + indexes') {
        $first = $null
        # In the order run, so the first (what the load did before) is the 1.00× every other is measured against.
        foreach ($name in @($results | Where-Object Work -eq $work | ForEach-Object Variant | Select-Object -Unique)) {
            $group = [pscustomobject]@{ Name = $name; Group = @($results | Where-Object { $_.Work -eq $work -and $_.Variant -eq $name }) }
            $v = @($group.Group | Sort-Object Seconds); $median = $v[[int][math]::Floor(($v.Count - 1) / 2)].Seconds
            if ($null -eq $first) { $first = $median }
            $lines.Add("| $work | $($group.Name) | $($median.ToString('0.00', $inv)) | $(($median / $first).ToString('0.00', $inv))× | $(($group.Group | ForEach-Object { $_.Seconds.ToString('0.00', $inv) }) -join ' / ') | $(($group.Group | ForEach-Object Load) -join ' / ') |")
        }
    }
    $lines.Add('')
    $lines.Add("Reproduce: ``dotnet pwsh ./bench/Measure-PostLoadWork.ps1 -Scale $scaleText -Rounds $Rounds$(if ($OnDisk) { ' -OnDisk' })``")
    $lines | Out-Host
    if ($OutputPath) {
        New-Item -ItemType Directory -Force $OutputPath | Out-Null
        $path = Join-Path $OutputPath ('{0:yyyy-MM-dd}-post-load-work-scale{1}.md' -f (Get-Date), $scaleText)
        Set-Content -LiteralPath $path -Value ($lines -join "`n") -Encoding utf8NoBOM
        Write-Host "Report: $path"
    }
}
finally { $server.Dispose() }
