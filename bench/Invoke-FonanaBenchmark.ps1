#requires -Version 7.4
<#
.SYNOPSIS
    Times Export+Import and Copy-FonanaDatabase against pg_dump + pg_restore on a scaled Fonana data set.
.DESCRIPTION
    Starts two throwaway PostgreSQL servers on 127.0.0.1 with the test fixture (FonanaMigration.Testing.dll), the same
    options for both: a source filled by bench/New-FonanaBenchData.sql at -Scale, and a target. For every measured
    run each method loads a fresh empty target database made from the fonana_empty template (the Prisma schema with
    its foreign keys and indexes in place, _prisma_migrations rows only):

      a. Export-FonanaDatabase, then Import-FonanaDatabase (both parts and their sum)
      b. Copy-FonanaDatabase
      c. pg_dump -Fc, then pg_restore: the fairest invocation that succeeds (see bench/README.md)

    Every cmdlet runs in a fresh pwsh process of its own (its peak working set is recorded); pg_dump/pg_restore come
    from the server's own bin directory and connect over 127.0.0.1 with PGPASSWORD. Every result is verified
    (Assert-FonanaRowCount -Source -Target -Checksum, plus foreign keys, indexes and sequences) so a fast but wrong run
    fails the benchmark. Prints a table and writes bench/results/<date>-scale<N>.md and .json.

    Speed goals live here, never as timed assertions in tests.
.PARAMETER Scale
    Data set size: 1.0 is about 1.2 GB of table data (see bench/README.md for rows per table). Several values
    (-Scale 0.1,0.5,1) run the whole benchmark once per scale, each in its own pwsh, then write a summary with
    seconds per GiB at every scale (linearity) and the peak memory of every cmdlet's pwsh per scale.
.PARAMETER Runs
    Measured runs; the report gives each run and the median.
.PARAMETER OutputPath
    Directory for the .md and .json results (default bench/results).
.PARAMETER OnDisk
    Put servers, archive and dump on disk ($env:FONANA_PG_TMPDIR, else /var/tmp) even when /dev/shm has room.
    Without it, /dev/shm is used only when it (and free memory) holds about three times the data plus WAL.
.PARAMETER CompareModulePath
    A second staged module (path to its FonanaMigration.psd1), e.g. a copy of out/FonanaMigration made before an
    optimisation: Copy-FonanaDatabase also runs with it in every run, and the report gives after / before.
.PARAMETER Method
    Run only these methods (Floor, ExportImport, Copy, PgDumpPsql, PgDumpRestore); default all. Ratios whose
    methods did not run are left blank.
.PARAMETER Build
    Run `dotnet build -c <Configuration>` first (otherwise only when the staged module or fixture DLL is missing).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./bench/Invoke-FonanaBenchmark.ps1 -Scale 1 -OnDisk
.EXAMPLE
    dotnet pwsh ./bench/Invoke-FonanaBenchmark.ps1 -Scale 0.05 -Runs 3
#>
[CmdletBinding()]
param(
    # Strings, split on commas here: `pwsh -File` hands "0.1,0.5,1" over as one string, not an array.
    [Parameter(Mandatory, Position = 0)]
    [string[]] $Scale,

    [ValidateRange(1, 25)]
    [int] $Runs = 1,

    [string] $OutputPath = (Join-Path $PSScriptRoot 'results'),

    [switch] $OnDisk,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Build,

    # Another staged build of the module (its FonanaMigration.psd1), e.g. the one before an optimisation: its Copy
    # runs beside this build's in every run, so the before/after ratio comes from one run on one machine state.
    [string] $CompareModulePath,

    # Only these methods (default all): a quick before/after of one cmdlet need not wait for every peer.
    [string[]] $Method,

    # Set by the several-scales run for each child so it knows which files to read back.
    [Parameter(DontShow)] [string] $ReportName
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$inv = [Globalization.CultureInfo]::InvariantCulture
$scales = [double[]]@($Scale -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ } | ForEach-Object {
    $v = 0.0
    if (-not [double]::TryParse($_, [Globalization.NumberStyles]::Float, $inv, [ref]$v) -or $v -lt 0.001 -or $v -gt 100) { throw "-Scale: '$_' is not a number from 0.001 to 100." }
    $v })
$knownMethods = 'Floor', 'ExportImport', 'Copy', 'PgDumpPsql', 'PgDumpRestore'
$Method = @($Method -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
foreach ($m in $Method) { if ($m -notin $knownMethods) { throw "-Method: '$m' is not one of $($knownMethods -join ', ')." } }
$benchClock = [Diagnostics.Stopwatch]::StartNew()
$startedAt = [DateTimeOffset]::Now
$root = Split-Path $PSScriptRoot -Parent
$modulePath = Join-Path $root 'out/FonanaMigration/FonanaMigration.psd1'
$fixtureDll = Join-Path $root "tests/FonanaMigration.Testing/bin/$Configuration/net8.0/FonanaMigration.Testing.dll"
$generator = Join-Path $PSScriptRoot 'New-FonanaBenchData.sql'
$stepScript = Join-Path $PSScriptRoot 'Invoke-FonanaBenchmarkStep.ps1'
$role = 'fonana_user'
$rolePassword = 'fonana_pass'
$sourceDb = 'fonana_bench'

# Measured at scale 0.05 and 0.2 (see bench/README.md): table data (TOAST included) and data + indexes per 1.0 of scale.
$tableBytesPerScale = 1.24e9
$databaseBytesPerScale = 1.8e9

function Write-Step([string] $Text) { Write-Host ("[{0,7:N1}s] {1}" -f $benchClock.Elapsed.TotalSeconds, $Text) }

function Format-Size([double] $Bytes) {
    if ($Bytes -ge 1GB) { return '{0:N2} GiB' -f ($Bytes / 1GB) }
    if ($Bytes -ge 1MB) { return '{0:N1} MiB' -f ($Bytes / 1MB) }
    return '{0:N0} KiB' -f ($Bytes / 1KB)
}

function Get-Median([object[]] $Values) {
    $sorted = @($Values | Where-Object { $null -ne $_ } | ForEach-Object { [double]$_ } | Sort-Object)
    if ($sorted.Count -eq 0) { return $null }
    $mid = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    return ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

# Runs a program with an argument list (no shell), extra environment variables, both pipes read concurrently.
function Invoke-Timed([string] $File, [string[]] $Arguments, [hashtable] $Environment = @{}) {
    $info = [Diagnostics.ProcessStartInfo]::new($File)
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.StandardOutputEncoding = [Text.UTF8Encoding]::new($false)
    $info.StandardErrorEncoding = [Text.UTF8Encoding]::new($false)
    $info.WorkingDirectory = $root
    foreach ($a in $Arguments) { $info.ArgumentList.Add($a) }
    # Whatever the developer's shell points libpq at must not redirect or reconfigure the benchmark's sessions.
    foreach ($name in 'PGOPTIONS', 'PGSERVICE', 'PGSERVICEFILE', 'PGSSLMODE', 'PGTARGETSESSIONATTRS', 'PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSFILE') {
        [void]$info.Environment.Remove($name)
    }
    $info.Environment['PGCONNECT_TIMEOUT'] = '10'
    $info.Environment['PGCLIENTENCODING'] = 'UTF8'
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = [string]$Environment[$key] }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    try {
        $out = $process.StandardOutput.ReadToEndAsync()
        $err = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        $clock.Stop()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Seconds  = $clock.Elapsed.TotalSeconds
            StdOut   = $out.GetAwaiter().GetResult()
            StdErr   = $err.GetAwaiter().GetResult()
        }
    }
    finally { $process.Dispose() }
}

function Get-MemAvailable {
    if (-not (Test-Path '/proc/meminfo')) { return $null }
    $line = Get-Content '/proc/meminfo' | Where-Object { $_ -like 'MemAvailable:*' } | Select-Object -First 1
    if ($line -match '(\d+)\s*kB') { return [long]$Matches[1] * 1024 }
    $null
}

function Get-FreeBytes([string] $Path) {
    try { [IO.DriveInfo]::new($Path).AvailableFreeSpace } catch { 0 }
}

function Get-FileSystemType([string] $Path) {
    if (-not (Test-Path '/proc/mounts')) { return $null }
    $full = [IO.Path]::GetFullPath($Path)
    $best = $null
    foreach ($line in Get-Content '/proc/mounts') {
        $parts = $line -split ' '
        if ($parts.Count -lt 3) { continue }
        $mount = $parts[1] -replace '\\040', ' '
        $prefix = if ($mount.EndsWith('/')) { $mount } else { "$mount/" }
        if (($full -eq $mount -or $full.StartsWith($prefix)) -and ($null -eq $best -or $mount.Length -ge $best.Mount.Length)) {
            $best = @{ Mount = $mount; Type = $parts[2] }
        }
    }
    if ($best) { "$($best.Type) ($($best.Mount))" }
}

# Where servers, archive and dump live. /dev/shm is memory: only when it and the free memory hold the whole run.
function Select-Storage {
    $need = [long]($Scale * (2 * $databaseBytesPerScale + 1.0e9) + 2.5e9)   # source + one target + archive/dump, + WAL of both servers
    $memAvailable = Get-MemAvailable
    $shmFree = if (Test-Path '/dev/shm') { Get-FreeBytes '/dev/shm' } else { 0 }
    $reason = $null
    if (-not $OnDisk) {
        if ($shmFree -ge $need -and $null -ne $memAvailable -and $memAvailable -ge $need + 4GB) {
            return [pscustomobject]@{ Parent = '/dev/shm'; Medium = 'memory (/dev/shm)'; Need = $need; Free = $shmFree; Reason = "/dev/shm has $(Format-Size $shmFree) free and $(Format-Size $memAvailable) of memory is available (need about $(Format-Size $need) + 4 GiB headroom)" }
        }
        $reason = "/dev/shm lacks room: $(Format-Size $shmFree) free, $(if ($null -ne $memAvailable) { Format-Size $memAvailable } else { 'unknown' }) memory available, need about $(Format-Size $need) + 4 GiB headroom"
    }
    else { $reason = '-OnDisk' }
    $parent = if ($env:FONANA_PG_TMPDIR) { $env:FONANA_PG_TMPDIR }
              elseif (Test-Path '/var/tmp') { '/var/tmp' }
              else { [IO.Path]::GetTempPath() }
    New-Item -ItemType Directory -Force $parent | Out-Null
    $parent = [IO.Path]::GetFullPath($parent)
    $free = Get-FreeBytes $parent
    if ($free -lt $need) {
        throw "Not enough room for scale $($Scale.ToString($inv)): $parent has $(Format-Size $free) free, the run needs about $(Format-Size $need). Point FONANA_PG_TMPDIR at a bigger disk."
    }
    [pscustomobject]@{ Parent = $parent; Medium = 'disk'; Need = $need; Free = $free; Reason = $reason }
}

# ---------------------------------------------------------------------------------------------------------------
# Build (only when needed), load the fixture and the module
# ---------------------------------------------------------------------------------------------------------------
if ($Build -or -not (Test-Path $modulePath) -or -not (Test-Path $fixtureDll)) {
    Write-Step "Building ($Configuration)"
    & dotnet build (Join-Path $root 'FonanaMigration.sln') -c $Configuration -v q -nologo -clp:ErrorsOnly | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE." }
}
Add-Type -Path $fixtureDll
Import-Module $modulePath
$moduleVersion = (Import-PowerShellDataFile $modulePath).ModuleVersion
# Others may rebuild out/ while this runs: say exactly which engine was measured.
# The engine lives in Dependencies/ (its private load context) since the module isolates its dependencies.
$engineDll = Get-Item (Join-Path (Split-Path $modulePath) 'Dependencies/FonanaMigration.Engine.dll')
$engineBuild = '{0} built {1:yyyy-MM-dd HH:mm:ss}, sha256 {2}' -f $engineDll.Name, $engineDll.LastWriteTime, (Get-FileHash $engineDll.FullName -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant()

# The child pwsh exactly as this one was started: `dotnet pwsh` (the local tool) or a pwsh on PATH.
$hostPath = [Environment]::ProcessPath
$pwshCommand = if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { @($hostPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @($hostPath) }

# ---------------------------------------------------------------------------------------------------------------
# Several scales in one command: the whole benchmark once per scale, each in a pwsh of its own (so one scale's
# servers and memory never overlap another's), then a summary: seconds per GiB of table data at every scale shows
# whether time grows linearly, and every cmdlet's peak RSS per scale shows memory stays flat.
# ---------------------------------------------------------------------------------------------------------------
if ($scales.Count -gt 1) {
    $stamp = $startedAt.ToString('yyyy-MM-dd-HHmmss')
    $children = foreach ($s in $scales) {
        $name = '{0}-scale{1}' -f $stamp, $s.ToString('0.###', $inv)
        $childArgs = @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath,
            '-Scale', $s.ToString($inv), '-Runs', "$Runs", '-OutputPath', $OutputPath, '-Configuration', $Configuration, '-ReportName', $name)
        if ($OnDisk) { $childArgs += '-OnDisk' }
        if ($CompareModulePath) { $childArgs += @('-CompareModulePath', $CompareModulePath) }
        if ($Method) { $childArgs += @('-Method', ($Method -join ',')) }
        Write-Step "Scale $($s.ToString($inv)): $Runs run(s)"
        & $pwshCommand[0] @childArgs | Out-Host
        $json = Join-Path $OutputPath "$name.json"
        if (-not (Test-Path -LiteralPath $json)) { throw "Scale $($s.ToString($inv)) wrote no report ($json); exit code $LASTEXITCODE." }
        [pscustomobject]@{ Scale = $s; Report = (Get-Content -LiteralPath $json -Raw | ConvertFrom-Json); Name = $name; ExitCode = $LASTEXITCODE }
    }
    $methodsToCompare = [ordered]@{
        'floor (drop keys/indexes/FKs, COPY FREEZE, rebuild)' = 'floorSeconds'
        'floor, only FKs dropped'                           = 'floorFkOnlySeconds'
        'Copy-FonanaDatabase'                               = 'copySeconds'
        'Export + Import'                                   = 'exportImportSeconds'
        'pg_dump --data-only \| psql'                       = 'pgDumpPsqlSeconds'
        'pg_dump + pg_restore --data-only (A)'              = 'pgDumpRestoreSeconds'
        'pg_dump + pg_restore --clean (B)'                  = 'pgDumpRestoreFullSeconds'
    }
    $sum = [Text.StringBuilder]::new()
    $null = $sum.AppendLine("# FonanaMigration benchmark at $($scales.Count) scales ($($startedAt.ToString('yyyy-MM-dd HH:mm zzz')))").AppendLine()
    $null = $sum.AppendLine('Per-scale reports: ' + (($children | ForEach-Object { "[$($_.Name)]($($_.Name).md)" }) -join ', ') + '.').AppendLine()
    $null = $sum.AppendLine('## Seconds (median), × floor').AppendLine()
    $null = $sum.AppendLine('| Method | ' + (($children | ForEach-Object { "scale $($_.Scale.ToString($inv)) ($('{0:N2}' -f ($_.Report.dataset.tableBytes / 1GB)) GiB)" }) -join ' | ') + ' |')
    $null = $sum.AppendLine('|---|' + (($children | ForEach-Object { '---:' }) -join '|') + '|')
    # Only the methods that ran (-Method).
    foreach ($k in @($methodsToCompare.Keys)) { if (@($children | Where-Object { $null -ne $_.Report.median.($methodsToCompare[$k]) }).Count -eq 0) { $methodsToCompare.Remove($k) } }
    foreach ($m in $methodsToCompare.GetEnumerator()) {
        $cells = foreach ($c in $children) {
            $v = $c.Report.median.($m.Value); $f = $c.Report.median.floorSeconds
            if ($null -eq $v) { '–' } else { '{0} s ({1}× floor)' -f ([double]$v).ToString('N2', $inv), ([double]$v / [double]$f).ToString('0.00', $inv) }
        }
        $null = $sum.AppendLine("| $($m.Key) | $($cells -join ' | ') |")
    }
    $null = $sum.AppendLine().AppendLine('## Linearity: seconds per GiB of table data').AppendLine()
    $null = $sum.AppendLine('Constant across scales means time grows linearly with the data; small scales carry fixed costs (connecting, reading both schemas, pwsh is excluded).').AppendLine()
    $null = $sum.AppendLine('| Method | ' + (($children | ForEach-Object { "scale $($_.Scale.ToString($inv))" }) -join ' | ') + ' | largest / smallest scale |')
    $null = $sum.AppendLine('|---|' + (($children | ForEach-Object { '---:' }) -join '|') + '|---:|')
    $linearity = [ordered]@{}
    foreach ($m in $methodsToCompare.GetEnumerator()) {
        $perGiB = @(foreach ($c in $children) { $v = $c.Report.median.($m.Value); if ($null -eq $v) { $null } else { [double]$v / ($c.Report.dataset.tableBytes / 1GB) } })
        $linearity[$m.Value] = $perGiB
        $spread = if ($null -ne $perGiB[0] -and $null -ne $perGiB[-1]) { ($perGiB[-1] / $perGiB[0]).ToString('0.00', $inv) + '×' } else { '–' }
        $null = $sum.AppendLine("| $($m.Key) | $(($perGiB | ForEach-Object { if ($null -eq $_) { '–' } else { $_.ToString('N2', $inv) } }) -join ' | ') | $spread |")
    }
    $null = $sum.AppendLine().AppendLine('## Peak RSS (VmHWM) of the pwsh running each cmdlet').AppendLine()
    $null = $sum.AppendLine('| Cmdlet | ' + (($children | ForEach-Object { "scale $($_.Scale.ToString($inv))" }) -join ' | ') + ' |').AppendLine('|---|' + (($children | ForEach-Object { '---:' }) -join '|') + '|')
    $peaks = [ordered]@{ 'Export-FonanaDatabase' = 'exportPeakBytes'; 'Import-FonanaDatabase' = 'importPeakBytes'; 'Copy-FonanaDatabase' = 'copyPeakBytes' }
    foreach ($k in $peaks.GetEnumerator()) {
        $null = $sum.AppendLine("| $($k.Key) | $(($children | ForEach-Object { $b = $_.Report.median.($k.Value); if ($null -eq $b) { '–' } else { Format-Size $b } }) -join ' | ') |")
    }
    $loads = if (Test-Path '/proc/loadavg') { ((Get-Content '/proc/loadavg') -split ' ')[0..2] -join ' ' } else { '?' }
    $null = $sum.AppendLine().AppendLine("Load average at the end: $loads. All verified: $(if (@($children | Where-Object { -not $_.Report.benchmark.allVerified }).Count -eq 0) { 'yes' } else { '**NO**' }).")
    $scalesText = ($scales | ForEach-Object { $_.ToString('0.###', $inv) }) -join '_'
    $sumPath = Join-Path $OutputPath "$stamp-scales$scalesText.md"
    Set-Content -LiteralPath $sumPath -Value $sum.ToString() -Encoding utf8NoBOM
    [ordered]@{ scales = @($scales); reports = @($children | ForEach-Object Name); secondsPerGiB = $linearity } | ConvertTo-Json -Depth 5 |
        Set-Content -LiteralPath ([IO.Path]::ChangeExtension($sumPath, '.json')) -Encoding utf8NoBOM
    Write-Host $sum.ToString()
    Write-Host "Summary: $sumPath"
    exit $(if (@($children | Where-Object { $_.ExitCode -ne 0 }).Count -gt 0) { 1 } else { 0 })
}
# One scale from here on.
$singleScale = $scales[0]
Remove-Variable Scale
$Scale = $singleScale

$storage = Select-Storage
$work = Join-Path $storage.Parent ("fonana-bench-{0}-{1}" -f $PID, [guid]::NewGuid().ToString('N').Substring(0, 6))
New-Item -ItemType Directory $work | Out-Null
Write-Step "Storage: $($storage.Medium) under $($storage.Parent) ($($storage.Reason))"

$options = [FonanaMigration.Testing.PostgresServerOptions]@{ Name = 'bench-source'; ParentDirectory = $storage.Parent; TimeZone = 'UTC' }
$source = $null; $target = $null
$failures = [Collections.Generic.List[string]]::new()
$runResults = [Collections.Generic.List[object]]::new()
try {
    Write-Step 'Starting the source and target servers'
    $source = [FonanaMigration.Testing.PostgresServer]::Start($options)
    $options.Name = 'bench-target'
    $target = [FonanaMigration.Testing.PostgresServer]::Start($options)
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($source)
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($target)
    $bin = $source.BinDirectory
    $exe = if ($IsWindows) { '.exe' } else { '' }
    $psql = Join-Path $bin "psql$exe"; $pgDump = Join-Path $bin "pg_dump$exe"; $pgRestore = Join-Path $bin "pg_restore$exe"
    $serverVersion = $source.QueryScalar('postgres', 'SELECT version()')
    $sourceUri = $source.ConnectionUri($role, $rolePassword, $sourceDb)

    # -----------------------------------------------------------------------------------------------------------
    # The source: fonana_empty copy, filled by the generator as the schema owner over TCP
    # -----------------------------------------------------------------------------------------------------------
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($source, $sourceDb)
    $scaleText = $Scale.ToString('0.###', $inv)
    Write-Step "Generating the data set at scale $scaleText"
    $gen = Invoke-Timed $psql @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', "scale=$scaleText", '-h', $source.Host, '-p', "$($source.Port)",
        '-U', $role, '-d', $sourceDb, '-f', $generator) @{ PGPASSWORD = $rolePassword; PGAPPNAME = 'fonana-bench-generator' }
    if ($gen.ExitCode -ne 0) { throw "The generator failed (exit $($gen.ExitCode)):`n$($gen.StdErr)" }
    $source.ExecuteSql('postgres', 'CHECKPOINT;')

    $tableLines = $source.QueryScalar($sourceDb, @'
SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_table_size(c.oid) DESC
'@) -split "`n"
    $tables = foreach ($line in $tableLines) {
        $f = $line -split '\|'
        $rows = [long]$source.QueryScalar($sourceDb, "SELECT count(*) FROM public.`"$($f[0])`"")
        [pscustomobject]@{ Table = $f[0]; Rows = $rows; TableBytes = [long]$f[1]; IndexBytes = [long]$f[2]; RowsPerScale = if ($f[0] -eq '_prisma_migrations') { $null } else { [long][math]::Round($rows / $Scale) } }
    }
    $tableBytes = ($tables | Measure-Object TableBytes -Sum).Sum
    $indexBytes = ($tables | Measure-Object IndexBytes -Sum).Sum
    $databaseBytes = [long]$source.QueryScalar('postgres', "SELECT pg_database_size('$sourceDb')")
    $totalRows = ($tables | Measure-Object Rows -Sum).Sum
    Write-Step ("Source: {0:N0} rows, {1} table data (pg_table_size), {2} indexes, generated in {3:N1} s" -f $totalRows, (Format-Size $tableBytes), (Format-Size $indexBytes), $gen.Seconds)

    # -----------------------------------------------------------------------------------------------------------
    # Probes (once, not part of any ratio): how long the source takes to merely stream every table, and to
    # checksum every table the way the module does. Together they show where Export's time goes.
    # -----------------------------------------------------------------------------------------------------------
    $columnsByTable = @{}
    foreach ($line in ($source.QueryScalar($sourceDb, @'
SELECT c.relname, string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
GROUP BY c.relname
'@) -split "`n")) { $f = $line -split '\|'; $columnsByTable[$f[0]] = $f[1] }
    $copyProbe = ($columnsByTable.Keys | Sort-Object | ForEach-Object { "\copy (SELECT $($columnsByTable[$_]) FROM ONLY public.`"$_`") TO '/dev/null' WITH (FORMAT binary)" }) -join "`n"
    $checksumProbe = ($columnsByTable.Keys | Sort-Object | ForEach-Object {
        $row = ($columnsByTable[$_] -split ',' | ForEach-Object { "t.$_" }) -join ', '
        "SELECT count(*), md5(count(*)::text || ':' || COALESCE(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text || ':' || COALESCE(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text) FROM (SELECT md5(ROW($row)::text) AS h FROM ONLY public.`"$_`" t) s;"
    }) -join "`n"
    # The same shape of checksum with hash_record_extended (PostgreSQL 14+): each column hashed by its type's own
    # extended hash function, no row formatted as text. The module's typed-hash-v1 is this, except that columns without
    # an exact server-independent hash (enums, json, ...) go in as text: its real cost shows in Copy's verification phase.
    $hashRecordProbe = ($columnsByTable.Keys | Sort-Object | ForEach-Object {
        $row = ($columnsByTable[$_] -split ',' | ForEach-Object { "t.$_" }) -join ', '
        "SELECT count(*), md5(count(*)::text || ':' || COALESCE(sum(hash_record_extended(ROW($row), 0)::numeric), 0)::text || ':' || COALESCE(sum(hash_record_extended(ROW($row), 1)::numeric), 0)::text) FROM ONLY public.`"$_`" t;"
    }) -join "`n"
    $textHashProbe = ($columnsByTable.Keys | Sort-Object | ForEach-Object {
        $row = ($columnsByTable[$_] -split ',' | ForEach-Object { "t.$_" }) -join ', '
        "SELECT count(*), md5(count(*)::text || ':' || COALESCE(sum(hashtextextended(r, 0)::numeric), 0)::text || ':' || COALESCE(sum(hashtextextended(r, 1)::numeric), 0)::text) FROM (SELECT ROW($row)::text AS r FROM ONLY public.`"$_`" t OFFSET 0) s;"
    }) -join "`n"
    $probeEnv = @{ PGPASSWORD = $rolePassword; PGAPPNAME = 'fonana-bench-probe' }
    $probeArgs = @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $source.Host, '-p', "$($source.Port)", '-U', $role, '-d', $sourceDb, '-o', ([IO.Path]::Combine($work, 'probe.out')))
    Set-Content -LiteralPath (Join-Path $work 'copy-probe.sql') -Value $copyProbe -Encoding utf8NoBOM
    Set-Content -LiteralPath (Join-Path $work 'checksum-probe.sql') -Value "SET extra_float_digits = 3;`n$checksumProbe" -Encoding utf8NoBOM
    $probeCopy = Invoke-Timed $psql ($probeArgs + @('-f', (Join-Path $work 'copy-probe.sql'))) $probeEnv
    $probeChecksum = Invoke-Timed $psql ($probeArgs + @('-f', (Join-Path $work 'checksum-probe.sql'))) $probeEnv
    Set-Content -LiteralPath (Join-Path $work 'text-hash-probe.sql') -Value "SET extra_float_digits = 3;`n$textHashProbe" -Encoding utf8NoBOM
    Set-Content -LiteralPath (Join-Path $work 'hash-record-probe.sql') -Value $hashRecordProbe -Encoding utf8NoBOM
    $probeTextHash = Invoke-Timed $psql ($probeArgs + @('-f', (Join-Path $work 'text-hash-probe.sql'))) $probeEnv
    $probeHashRecord = Invoke-Timed $psql ($probeArgs + @('-f', (Join-Path $work 'hash-record-probe.sql'))) $probeEnv
    if ($probeCopy.ExitCode -ne 0 -or $probeChecksum.ExitCode -ne 0 -or $probeTextHash.ExitCode -ne 0 -or $probeHashRecord.ExitCode -ne 0) {
        throw "A probe failed: $($probeCopy.StdErr) $($probeChecksum.StdErr) $($probeTextHash.StdErr) $($probeHashRecord.StdErr)"
    }
    Write-Step ("Probes on the source: binary COPY of every table {0:N2} s; checksum of every table: md5 of the text {1:N2} s, hashtextextended of the text (row-text-v1) {2:N2} s, hash_record_extended (~typed-hash-v1) {3:N2} s" -f
        $probeCopy.Seconds, $probeChecksum.Seconds, $probeTextHash.Seconds, $probeHashRecord.Seconds)

    # -----------------------------------------------------------------------------------------------------------
    # Helpers for the measured runs
    # -----------------------------------------------------------------------------------------------------------
    function New-Target([string] $Name) {
        [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($target, $Name)
        $target.ConnectionUri($role, $rolePassword, $Name)
    }

    function Remove-Target([string] $Name) { try { $target.DropDatabase($Name) } catch { Write-Warning "Could not drop ${Name}: $_" } }

    # Both servers write out what the previous step left in memory, so no step pays for another's checkpoint.
    function Invoke-Quiesce {
        $source.ExecuteSql('postgres', 'CHECKPOINT;')
        $target.ExecuteSql('postgres', 'CHECKPOINT;')
    }

    function Invoke-Step([string] $Operation, [string] $TargetUri, [string] $ArchivePath, [string] $Module = $modulePath) {
        $arguments = @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $stepScript, '-Operation', $Operation, '-ModulePath', $Module)
        if ($ArchivePath) { $arguments += @('-ArchivePath', $ArchivePath) }
        $r = Invoke-Timed $pwshCommand[0] $arguments @{ FONANA_BENCH_SOURCE = $sourceUri; FONANA_BENCH_TARGET = $TargetUri }
        $json = ($r.StdOut -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1)
        if ($r.ExitCode -ne 0 -or -not $json) {
            throw "$Operation failed (exit $($r.ExitCode)):`n$($r.StdErr)`n$($r.StdOut)"
        }
        $m = $json | ConvertFrom-Json
        $m | Add-Member processSeconds $r.Seconds
        $m
    }

    # Import/Copy phases from the cmdlet's verbose log lines (seconds from the start of the call). They match the
    # engine's messages; if those change, the phases are left out of the report and nothing else is affected.
    function Get-LoadPhases($Step) {
        $events = @($Step.events)
        $at = { param([string] $Pattern, [switch] $Last)
            $e = @($events | Where-Object { $_.message -match $Pattern })
            if ($e.Count -eq 0) { $null } elseif ($Last) { $e[-1].at } else { $e[0].at } }
        $deferred = & $at '^Deferred \d+ foreign keys'
        $loaded = & $at '^Loaded ' -Last
        $restored = & $at '^Built \d+ keys'
        $verified = & $at '^Verified '
        $committed = & $at '^Committed '
        if ($null -in @($deferred, $loaded, $restored, $committed)) { return $null }
        [ordered]@{
            schema       = $deferred                   # connect, read and compare schemas, lock, drop FKs, keys and indexes
            rows         = $loaded - $deferred         # COPY of every table
            rebuild      = $restored - $loaded         # keys, indexes, FKs (validation)
            verification = if ($null -ne $verified) { $verified - $restored } else { $null }   # sequences, count + checksum of every table
            commit       = if ($null -ne $verified) { $committed - $verified } else { $null }
            verifyAndCommit = $committed - $restored
            analyze      = $Step.seconds - $committed  # ANALYZE after COMMIT
            pwshStart    = $Step.processSeconds - $Step.seconds   # pwsh start-up, Import-Module and exit, outside the cmdlet's stopwatch
        }
    }

    function Get-TargetShape([object] $Server, [string] $Database) {
        $Server.QueryScalar($Database, @'
SELECT (SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f' AND convalidated) || ' validated FKs, '
    || (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public') || ' indexes, sequences '
    || COALESCE((SELECT string_agg(sequencename || '=' || COALESCE(last_value::text, 'unset'), ',' ORDER BY sequencename) FROM pg_sequences WHERE schemaname = 'public'), 'none')
'@)
    }
    $sourceShape = Get-TargetShape $source $sourceDb

    # Rows and content of every table (computed by both servers), plus foreign keys, indexes and sequence positions.
    function Test-Result([string] $Label, [string] $Database, [string] $TargetUri) {
        try {
            $compared = @(Assert-FonanaRowCount -Source $sourceUri -Target $TargetUri -Checksum -ErrorAction Stop)
            $shape = Get-TargetShape $target $Database
            if ($shape -ne $sourceShape) { throw "structure differs: target has $shape; source has $sourceShape" }
            [ordered]@{ ok = $true; tablesCompared = $compared.Count; detail = "counts and checksums of $($compared.Count) tables match; $shape" }
        }
        catch {
            $failures.Add("${Label}: $($_.Exception.Message)")
            Write-Warning "${Label}: verification FAILED: $($_.Exception.Message)"
            [ordered]@{ ok = $false; tablesCompared = 0; detail = $_.Exception.Message }
        }
    }

    $libpqArgs = { param([object] $Server, [string] $User, [string] $Database) @('-h', $Server.Host, '-p', "$($Server.Port)", '-U', $User, '-d', $Database) }
    $roleEnv = @{ PGPASSWORD = $rolePassword; PGAPPNAME = 'fonana-bench-baseline' }
    $superEnv = @{ PGPASSWORD = $target.SuperuserPassword; PGAPPNAME = 'fonana-bench-baseline' }
    $baselineAttempts = [Collections.Generic.List[object]]::new()

    # -----------------------------------------------------------------------------------------------------------
    # The floor: what the target server itself needs to ingest the same rows with nothing in between. Binary files
    # of every table written beforehand (not timed) by COPY TO on the source; then, as the superuser, in ONE
    # transaction on a fresh fonana_empty copy: drop its FKs, keys and indexes, TRUNCATE (so COPY may FREEZE),
    # COPY … FROM '<file>' (FORMAT binary, FREEZE) per table, re-create the same keys, indexes and FKs, set the
    # sequences. The variant keeps keys and indexes in place and drops only the FKs. Server defaults for
    # maintenance_work_mem and parallel workers: the server's own floor, untuned.
    # -----------------------------------------------------------------------------------------------------------
    $loadedTables = @($tables | Where-Object { $_.Table -ne '_prisma_migrations' } | ForEach-Object { $_.Table })
    $floorDir = Join-Path $work 'floor'
    New-Item -ItemType Directory $floorDir | Out-Null
    $quoteTable = { param([string] $Name) 'public."' + ($Name -replace '"', '""') + '"' }
    $floorFile = @{}; $i = 0
    foreach ($t in $loadedTables) { $floorFile[$t] = Join-Path $floorDir ("{0:D2}.bin" -f $i++) }
    $dumpFiles = ($loadedTables | ForEach-Object { "\copy $(& $quoteTable $_) TO '$($floorFile[$_])' WITH (FORMAT binary)" }) -join "`n"
    Set-Content -LiteralPath (Join-Path $work 'floor-files.sql') -Value $dumpFiles -Encoding utf8NoBOM
    $ff = Invoke-Timed $psql @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $source.Host, '-p', "$($source.Port)", '-U', $role, '-d', $sourceDb, '-f', (Join-Path $work 'floor-files.sql')) $probeEnv
    if ($ff.ExitCode -ne 0) { throw "Writing the floor's files failed: $($ff.StdErr)" }
    # The server (its own OS user) reads the files: make sure it may.
    & chmod -R a+rX $floorDir
    $floorBytes = (Get-ChildItem $floorDir | Measure-Object Length -Sum).Sum
    Write-Step ("Floor: {0} binary COPY files, {1}, written in {2:N1} s (not timed)" -f $loadedTables.Count, (Format-Size $floorBytes), $ff.Seconds)

    $planDb = 'floor_plan'; [void](New-Target $planDb)
    $notPrisma = "c.conrelid <> 'public._prisma_migrations'::regclass"
    $ddl = { param([string] $Sql) $target.QueryScalar($planDb, $Sql) }
    $dropFks = & $ddl "SELECT string_agg(format('ALTER TABLE ONLY %s DROP CONSTRAINT %I;', c.conrelid::regclass, c.conname), E'\n' ORDER BY c.conname) FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace"
    $addFks = & $ddl "SELECT string_agg(format('ALTER TABLE ONLY %s ADD CONSTRAINT %I %s;', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)), E'\n' ORDER BY c.conname) FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace"
    $dropKeys = & $ddl "SELECT string_agg(format('ALTER TABLE ONLY %s DROP CONSTRAINT %I;', c.conrelid::regclass, c.conname), E'\n' ORDER BY c.conname) FROM pg_constraint c WHERE c.contype IN ('p', 'u') AND c.connamespace = 'public'::regnamespace AND $notPrisma"
    $addKeys = & $ddl "SELECT string_agg(format('ALTER TABLE ONLY %s ADD CONSTRAINT %I %s;', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)), E'\n' ORDER BY c.conname) FROM pg_constraint c WHERE c.contype IN ('p', 'u') AND c.connamespace = 'public'::regnamespace AND $notPrisma"
    $plainIndexes = "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> '_prisma_migrations' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))"
    $dropIndexes = & $ddl "SELECT string_agg(format('DROP INDEX %s;', i.indexrelid::regclass), E'\n' ORDER BY i.indexrelid::regclass::text) $plainIndexes"
    $addIndexes = & $ddl "SELECT string_agg(pg_get_indexdef(i.indexrelid) || ';', E'\n' ORDER BY i.indexrelid::regclass::text) $plainIndexes"
    Remove-Target $planDb
    $setSequences = $source.QueryScalar($sourceDb, "SELECT string_agg(format('SELECT setval(%L, %s);', format('%I.%I', schemaname, sequencename), last_value), E'\n') FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL")
    $truncate = 'TRUNCATE ' + (($loadedTables | ForEach-Object { 'ONLY ' + (& $quoteTable $_) }) -join ', ') + ';'
    $copyFreeze = ($loadedTables | ForEach-Object { "COPY $(& $quoteTable $_) FROM '$($floorFile[$_])' WITH (FORMAT binary, FREEZE);" }) -join "`n"
    $floorSql = Join-Path $work 'floor.sql'; $floorFkSql = Join-Path $work 'floor-fk-only.sql'
    Set-Content -LiteralPath $floorSql -Encoding utf8NoBOM -Value (@($dropFks, $dropKeys, $dropIndexes, $truncate, $copyFreeze, $addKeys, $addIndexes, $addFks, $setSequences) -join "`n")
    Set-Content -LiteralPath $floorFkSql -Encoding utf8NoBOM -Value (@($dropFks, $truncate, $copyFreeze, $addFks, $setSequences) -join "`n")

    function Invoke-Floor([string] $Label, [string] $Script, [int] $Run) {
        $db = "r${Run}_$Label"; $uri = New-Target $db
        Invoke-Quiesce
        Write-Step "Run ${Run}: $Label (superuser, one transaction)"
        $f = Invoke-Timed $psql (@('-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1') + (& $libpqArgs $target 'postgres' $db) + @('-f', $Script)) $superEnv
        if ($f.ExitCode -ne 0) { throw "$Label failed (exit $($f.ExitCode)): $($f.StdErr)" }
        $v = Test-Result "run $Run $Label" $db $uri
        Remove-Target $db
        [ordered]@{ seconds = $f.Seconds; verification = $v }
    }

    $methods = @(@('Floor', 'ExportImport', 'Copy', 'PgDumpPsql', 'PgDumpRestore') + @(if ($CompareModulePath) { 'CompareCopy' }) | Where-Object { -not $Method -or $_ -in $Method -or ($_ -eq 'CompareCopy' -and 'Copy' -in $Method) })
    # From here on a method left out by -Method leaves $null results that the summaries read through
    # ($r.export.seconds): strict mode 1 still catches unset variables, but lets a property of $null be $null.
    Set-StrictMode -Version 1.0
    for ($run = 1; $run -le $Runs; $run++) {
        # Rotate the order between runs so no method always runs first (cold) or last.
        $shift = ($run - 1) % $methods.Count
        $order = @($methods[$shift..($methods.Count - 1)]) + @(if ($shift) { $methods[0..($shift - 1)] })
        $r = [ordered]@{ run = $run; order = $order }
        foreach ($key in 'export', 'import', 'exportImportSeconds', 'archiveBytes', 'importPhases', 'importVerification', 'copy', 'copyPhases', 'copyVerification',
            'compareCopy', 'compareCopyPhases', 'compareCopyVerification', 'floorSeconds', 'floorVerification', 'floorFkOnlySeconds', 'floorFkOnlyVerification',
            'pgDumpPsqlSeconds', 'pgDumpPsqlVerification', 'pgDumpSeconds', 'dumpBytes', 'pgDumpWarnings', 'pgRestoreSeconds', 'pgDumpRestoreSeconds', 'pgRestoreVerification',
            'pgDumpFullSeconds', 'fullDumpBytes', 'pgRestoreFullSeconds', 'pgDumpRestoreFullSeconds', 'pgRestoreFullVerification') { $r[$key] = $null }
        foreach ($method in $order) {
            switch ($method) {
                'ExportImport' {
                    $archive = Join-Path $work "run$run.fnz"
                    $db = "r${run}_import"; $uri = New-Target $db
                    Invoke-Quiesce
                    Write-Step "Run ${run}: Export-FonanaDatabase"
                    $export = Invoke-Step 'Export' $null $archive
                    Invoke-Quiesce
                    Write-Step "Run ${run}: Import-FonanaDatabase"
                    $import = Invoke-Step 'Import' $uri $archive
                    $r.export = $export; $r.import = $import
                    $r.exportImportSeconds = $export.seconds + $import.seconds
                    $r.archiveBytes = (Get-Item $archive).Length
                    $r.importPhases = Get-LoadPhases $import
                    $r.importVerification = Test-Result "run $run Export+Import" $db $uri
                    Remove-Item -LiteralPath $archive -Force
                    Remove-Target $db
                }
                'Copy' {
                    $db = "r${run}_copy"; $uri = New-Target $db
                    Invoke-Quiesce
                    Write-Step "Run ${run}: Copy-FonanaDatabase"
                    $copy = Invoke-Step 'Copy' $uri $null
                    $r.copy = $copy
                    $r.copyPhases = Get-LoadPhases $copy
                    $r.copyVerification = Test-Result "run $run Copy" $db $uri
                    Remove-Target $db
                }
                'Floor' {
                    $fl = Invoke-Floor 'floor' $floorSql $run
                    $r.floorSeconds = $fl.seconds; $r.floorVerification = $fl.verification
                    $fk = Invoke-Floor 'floor_fk_only' $floorFkSql $run
                    $r.floorFkOnlySeconds = $fk.seconds; $r.floorFkOnlyVerification = $fk.verification
                }
                'CompareCopy' {
                    $db = "r${run}_copy_compare"; $uri = New-Target $db
                    Invoke-Quiesce
                    Write-Step "Run ${run}: Copy-FonanaDatabase with the compared build ($CompareModulePath)"
                    $cc = Invoke-Step 'Copy' $uri $null $CompareModulePath
                    $r.compareCopy = $cc
                    $r.compareCopyPhases = Get-LoadPhases $cc
                    $r.compareCopyVerification = Test-Result "run $run Copy (compared build)" $db $uri
                    Remove-Target $db
                }
                'PgDumpPsql' {
                    # The plain-text peer: pg_dump --data-only piped into psql, one transaction. As the owner it cannot
                    # succeed (the users <-> posts cycle of non-DEFERRABLE FKs, as the pg_restore attempt below records), so,
                    # as a DBA would: --disable-triggers, which needs the superuser on the target.
                    $db = "r${run}_dump_psql"; $uri = New-Target $db
                    Invoke-Quiesce
                    Write-Step "Run ${run}: pg_dump --data-only --disable-triggers | psql -1 (superuser on the target)"
                    $pipeline = "set -o pipefail; PGPASSWORD=`"`$FONANA_SOURCE_PW`" '$pgDump' --data-only --disable-triggers --exclude-table-data=public._prisma_migrations " +
                        "-h $($source.Host) -p $($source.Port) -U $role -d $sourceDb | PGPASSWORD=`"`$FONANA_TARGET_PW`" '$psql' -X -q -1 -v ON_ERROR_STOP=1 " +
                        "-h $($target.Host) -p $($target.Port) -U postgres -d $db -f - > /dev/null"
                    $p = Invoke-Timed '/bin/bash' @('-c', $pipeline) @{ FONANA_SOURCE_PW = $rolePassword; FONANA_TARGET_PW = $target.SuperuserPassword; PGAPPNAME = 'fonana-bench-baseline' }
                    if ($p.ExitCode -ne 0) { throw "pg_dump | psql failed (exit $($p.ExitCode)): $($p.StdErr)" }
                    $r.pgDumpPsqlSeconds = $p.Seconds
                    $r.pgDumpPsqlVerification = Test-Result "run $run pg_dump | psql" $db $uri
                    Remove-Target $db
                }
                'PgDumpRestore' {
                    # Baseline A: the same rows the module moves (it leaves _prisma_migrations alone: the target's own
                    # `prisma migrate deploy` wrote it), dumped data-only so pg_dump orders the tables by their foreign keys.
                    $dump = Join-Path $work "run$run.dump"
                    Invoke-Quiesce
                    Write-Step "Run ${run}: pg_dump -Fc --data-only"
                    $d = Invoke-Timed $pgDump (@('-Fc', '--data-only', '--exclude-table-data=public._prisma_migrations', '-f', $dump) + (& $libpqArgs $source $role $sourceDb)) $roleEnv
                    if ($d.ExitCode -ne 0) { throw "pg_dump failed (exit $($d.ExitCode)): $($d.StdErr)" }
                    $r.pgDumpSeconds = $d.Seconds
                    $r.dumpBytes = (Get-Item $dump).Length
                    $r.pgDumpWarnings = @($d.StdErr -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 6)

                    if ($run -eq 1) {
                        # What a non-superuser owner tries first: data only, in pg_dump's foreign-key order, one transaction.
                        # The users <-> posts cycle (neither foreign key DEFERRABLE) leaves no order that works; recorded, not timed.
                        $db = "r${run}_restore_role"; [void](New-Target $db)
                        $a = Invoke-Timed $pgRestore (@('--data-only', '--single-transaction', '--exit-on-error') + (& $libpqArgs $target $role $db) + @($dump)) $roleEnv
                        $baselineAttempts.Add([ordered]@{
                            invocation = "pg_dump -Fc --data-only --exclude-table-data=public._prisma_migrations; pg_restore --data-only --single-transaction --exit-on-error -U $role"
                            exitCode = $a.ExitCode; seconds = $a.Seconds
                            pgDumpWarning = ((($d.StdErr -split "`n" | Select-String -Pattern 'circular' -Context 0, 1 | Select-Object -First 1) |
                                ForEach-Object { @($_.Line) + @($_.Context.PostContext) }) -join ' ' -replace 'pg_dump: (warning|detail): ', '' -replace '\s+', ' ').Trim()
                            outcome = if ($a.ExitCode -eq 0) { 'succeeded' } else { 'failed: ' + (($a.StdErr -split "`n" | Where-Object { $_ -match 'ERROR|DETAIL' } | Select-Object -First 2) -join ' ').Trim() }
                        })
                        Write-Step "Run ${run}: pg_restore --data-only as $role (non-superuser): $($baselineAttempts[-1].outcome)"
                        Remove-Target $db
                    }

                    # The measured baseline: data only into the schema in place, as the superuser so --disable-triggers can
                    # switch the foreign key triggers off (an advantage: no row is ever checked against a foreign key).
                    $db = "r${run}_restore"; $uri = New-Target $db
                    Invoke-Quiesce
                    Write-Step "Run ${run}: pg_restore --data-only --disable-triggers --single-transaction (superuser)"
                    $p = Invoke-Timed $pgRestore (@('--data-only', '--disable-triggers', '--single-transaction', '--exit-on-error') + (& $libpqArgs $target 'postgres' $db) + @($dump)) $superEnv
                    if ($p.ExitCode -ne 0) { throw "pg_restore --data-only failed (exit $($p.ExitCode)): $($p.StdErr)" }
                    $r.pgRestoreSeconds = $p.Seconds
                    $r.pgDumpRestoreSeconds = $d.Seconds + $p.Seconds
                    $r.pgRestoreVerification = Test-Result "run $run pg_dump+pg_restore --data-only" $db $uri
                    Remove-Target $db
                    Remove-Item -LiteralPath $dump -Force

                    # Baseline B, what works for the non-superuser owner: a full dump, and pg_restore replacing the Prisma-made
                    # objects with the dump's (DROP, CREATE, COPY, then indexes and foreign keys), in one transaction.
                    $fullDump = Join-Path $work "run$run-full.dump"
                    Invoke-Quiesce
                    Write-Step "Run ${run}: pg_dump -Fc (schema and data)"
                    $fd = Invoke-Timed $pgDump (@('-Fc', '-f', $fullDump) + (& $libpqArgs $source $role $sourceDb)) $roleEnv
                    if ($fd.ExitCode -ne 0) { throw "pg_dump failed (exit $($fd.ExitCode)): $($fd.StdErr)" }
                    $r.pgDumpFullSeconds = $fd.Seconds
                    $r.fullDumpBytes = (Get-Item $fullDump).Length
                    $db = "r${run}_restore_full"; $uri = New-Target $db
                    Invoke-Quiesce
                    Write-Step "Run ${run}: pg_restore --clean --if-exists --single-transaction (as $role)"
                    $f = Invoke-Timed $pgRestore (@('--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error') + (& $libpqArgs $target $role $db) + @($fullDump)) $roleEnv
                    if ($f.ExitCode -ne 0) { throw "pg_restore --clean failed (exit $($f.ExitCode)): $($f.StdErr)" }
                    $r.pgRestoreFullSeconds = $f.Seconds
                    $r.pgDumpRestoreFullSeconds = $fd.Seconds + $f.Seconds
                    $r.pgRestoreFullVerification = Test-Result "run $run pg_dump+pg_restore --clean" $db $uri
                    Remove-Target $db
                    Remove-Item -LiteralPath $fullDump -Force
                }
            }
        }
        $runResults.Add([pscustomobject]$r)
        Write-Step ("Run {0}: floor {8:N2} s (FKs only {9:N2} s); Export {1:N2} s + Import {2:N2} s = {3:N2} s; Copy {4:N2} s; pg_dump | psql {10:N2} s; pg_dump {5:N2} s + pg_restore {6:N2} s = {7:N2} s" -f $run,
            $r.export.seconds, $r.import.seconds, $r.exportImportSeconds, $r.copy.seconds, $r.pgDumpSeconds, $r.pgRestoreSeconds, $r.pgDumpRestoreSeconds,
            $r.floorSeconds, $r.floorFkOnlySeconds, $r.pgDumpPsqlSeconds)
    }
}
finally {
    if ($null -ne $target) { $target.Dispose() }
    if ($null -ne $source) { $source.Dispose() }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------
function Get-RunMedian([scriptblock] $Pick) { Get-Median @($runResults | ForEach-Object { & $Pick $_ }) }
$med = [ordered]@{
    exportSeconds            = Get-RunMedian { $args[0].export.seconds }
    importSeconds            = Get-RunMedian { $args[0].import.seconds }
    exportImportSeconds      = Get-RunMedian { $args[0].exportImportSeconds }
    copySeconds              = Get-RunMedian { $args[0].copy.seconds }
    pgDumpSeconds            = Get-RunMedian { $args[0].pgDumpSeconds }
    pgRestoreSeconds         = Get-RunMedian { $args[0].pgRestoreSeconds }
    pgDumpRestoreSeconds     = Get-RunMedian { $args[0].pgDumpRestoreSeconds }
    pgDumpFullSeconds        = Get-RunMedian { $args[0].pgDumpFullSeconds }
    pgRestoreFullSeconds     = Get-RunMedian { $args[0].pgRestoreFullSeconds }
    pgDumpRestoreFullSeconds = Get-RunMedian { $args[0].pgDumpRestoreFullSeconds }
    archiveBytes             = Get-RunMedian { $args[0].archiveBytes }
    dumpBytes                = Get-RunMedian { $args[0].dumpBytes }
    fullDumpBytes            = Get-RunMedian { $args[0].fullDumpBytes }
    exportPeakBytes          = Get-RunMedian { $args[0].export.vmHwmBytes }
    importPeakBytes          = Get-RunMedian { $args[0].import.vmHwmBytes }
    copyPeakBytes            = Get-RunMedian { $args[0].copy.vmHwmBytes }
    floorSeconds             = Get-RunMedian { $args[0].floorSeconds }
    floorFkOnlySeconds       = Get-RunMedian { $args[0].floorFkOnlySeconds }
    pgDumpPsqlSeconds        = Get-RunMedian { $args[0].pgDumpPsqlSeconds }
    compareCopySeconds       = Get-RunMedian { if ($args[0].PSObject.Properties['compareCopy']) { $args[0].compareCopy.seconds } }
    compareCopyPeakBytes     = Get-RunMedian { if ($args[0].PSObject.Properties['compareCopy']) { $args[0].compareCopy.vmHwmBytes } }
}
# The fastest of what a DBA would otherwise run (every peer, each verified the same way).
$fastestPeer = $med.pgDumpRestoreSeconds, $med.pgDumpRestoreFullSeconds, $med.pgDumpPsqlSeconds | Where-Object { $null -ne $_ } | Sort-Object | Select-Object -First 1
function Get-Ratio($A, $B) { if ($null -eq $A -or $null -eq $B -or [double]$B -eq 0) { $null } else { [double]$A / [double]$B } }
$ratios = [ordered]@{
    exportImportVsPgDumpRestore     = Get-Ratio $med.exportImportSeconds $med.pgDumpRestoreSeconds
    copyVsPgDumpRestore             = Get-Ratio $med.copySeconds $med.pgDumpRestoreSeconds
    exportImportVsPgDumpRestoreFull = Get-Ratio $med.exportImportSeconds $med.pgDumpRestoreFullSeconds
    copyVsPgDumpRestoreFull         = Get-Ratio $med.copySeconds $med.pgDumpRestoreFullSeconds
    archiveVsDumpSize               = Get-Ratio $med.archiveBytes $med.dumpBytes
    copyVsFloor                     = Get-Ratio $med.copySeconds $med.floorSeconds
    exportImportVsFloor             = Get-Ratio $med.exportImportSeconds $med.floorSeconds
    importVsFloor                   = Get-Ratio $med.importSeconds $med.floorSeconds
    copyVsFastestPeer               = Get-Ratio $med.copySeconds $fastestPeer
    copyVsComparedBuild             = if ($med.compareCopySeconds) { $med.copySeconds / $med.compareCopySeconds } else { $null }
    exportImportVsFastestPeer       = Get-Ratio $med.exportImportSeconds $fastestPeer
}
$firstImportPhases = $runResults[0].importPhases
$firstCopyPhases = $runResults[0].copyPhases
$allVerified = $failures.Count -eq 0

$gitCommit = (& git -C $root rev-parse --short HEAD 2>$null)
$gitDirty = @(& git -C $root status --porcelain -- src 2>$null).Count -gt 0
$cpuModel = if (Test-Path '/proc/cpuinfo') { ((Get-Content '/proc/cpuinfo' | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', '') } else { $env:PROCESSOR_IDENTIFIER }
$memTotal = if (Test-Path '/proc/meminfo') { $l = Get-Content '/proc/meminfo' | Where-Object { $_ -like 'MemTotal:*' } | Select-Object -First 1; if ($l -match '(\d+)') { [long]$Matches[1] * 1024 } } else { $null }
$loadAverage = if (Test-Path '/proc/loadavg') { ((Get-Content '/proc/loadavg') -split ' ')[0..2] -join ' ' } else { $null }
$pgDumpVersion = (& $pgDump --version)
$reproduce = "dotnet tool restore && dotnet pwsh ./bench/Invoke-FonanaBenchmark.ps1 -Scale $scaleText$(if ($Runs -gt 1) { " -Runs $Runs" })$(if ($OnDisk) { ' -OnDisk' })"

$report = [ordered]@{
    benchmark = [ordered]@{
        scale = $Scale; runs = $Runs; startedAt = $startedAt.ToString('o'); totalSeconds = $benchClock.Elapsed.TotalSeconds
        reproduce = $reproduce; allVerified = $allVerified; failures = @($failures)
        module = [ordered]@{ version = "$moduleVersion"; gitCommit = "$gitCommit"; srcModified = $gitDirty; path = $modulePath; engine = $engineBuild }
    }
    machine = [ordered]@{
        nproc = [Environment]::ProcessorCount; cpu = $cpuModel; memoryBytes = $memTotal; os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        dotnet = [Environment]::Version.ToString(); pwsh = $PSVersionTable.PSVersion.ToString(); postgres = $serverVersion; pgDump = "$pgDumpVersion"
        loadAverageAtEnd = $loadAverage
    }
    storage = [ordered]@{ medium = $storage.Medium; parent = $storage.Parent; fileSystem = (Get-FileSystemType $storage.Parent); freeBytesAtStart = $storage.Free; estimatedNeedBytes = $storage.Need; reason = $storage.Reason }
    dataset = [ordered]@{
        generator = 'bench/New-FonanaBenchData.sql'; generateSeconds = $gen.Seconds; rows = $totalRows
        tableBytes = $tableBytes; indexBytes = $indexBytes; databaseBytes = $databaseBytes
        tableBytesPerScale = [math]::Round($tableBytes / $Scale); tables = @($tables)
    }
    probes = [ordered]@{ binaryCopyOfEveryTableSeconds = $probeCopy.Seconds; md5ChecksumOfEveryTableSeconds = $probeChecksum.Seconds
        textHashChecksumOfEveryTableSeconds = $probeTextHash.Seconds; hashRecordChecksumOfEveryTableSeconds = $probeHashRecord.Seconds }
    commands = [ordered]@{
        exportImport = 'Export-FonanaDatabase -Source $source -Path run.fnz; Import-FonanaDatabase -Path run.fnz -Target $target -Confirm:$false'
        copy = 'Copy-FonanaDatabase -Source $source -Target $target -Confirm:$false'
        pgDump = "PGPASSWORD=... pg_dump -Fc --data-only --exclude-table-data=public._prisma_migrations -f run.dump -h 127.0.0.1 -p <source port> -U $role -d $sourceDb"
        pgRestore = 'PGPASSWORD=<superuser> pg_restore --data-only --disable-triggers --single-transaction --exit-on-error -h 127.0.0.1 -p <target port> -U postgres -d <fresh fonana_empty copy> run.dump'
        pgDumpFull = "PGPASSWORD=... pg_dump -Fc -f run-full.dump -h 127.0.0.1 -p <source port> -U $role -d $sourceDb"
        pgRestoreFull = "PGPASSWORD=... pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error -h 127.0.0.1 -p <target port> -U $role -d <fresh fonana_empty copy> run-full.dump"
        floor = "PGPASSWORD=<superuser> psql -X -q -1 -v ON_ERROR_STOP=1 -U postgres -d <fresh fonana_empty copy> -f floor.sql   # drop FKs, keys, indexes; TRUNCATE; COPY ... FROM '<file>' (FORMAT binary, FREEZE) per table; re-create keys, indexes, FKs; setval"
        floorFkOnly = 'the same with keys and indexes left in place: drop FKs; TRUNCATE; COPY FREEZE per table; re-add FKs'
        pgDumpPsql = "pg_dump --data-only --disable-triggers --exclude-table-data=public._prisma_migrations -U $role -d $sourceDb | PGPASSWORD=<superuser> psql -X -q -1 -v ON_ERROR_STOP=1 -U postgres -d <fresh fonana_empty copy> -f -"
        verify = 'Assert-FonanaRowCount -Source $source -Target $target -Checksum; plus validated FK count, index count and sequence positions equal to the source'
    }
    baselineAttempts = @($baselineAttempts)
    median = $med
    ratios = $ratios
    runs = @($runResults)
}

New-Item -ItemType Directory -Force $OutputPath | Out-Null
$stem = if ($ReportName) { $ReportName } else { '{0}-scale{1}' -f $startedAt.ToString('yyyy-MM-dd'), $scaleText }
if (-not $ReportName -and (Test-Path (Join-Path $OutputPath "$stem.json")) -or (Test-Path (Join-Path $OutputPath "$stem.md"))) { $stem += '-' + $startedAt.ToString('HHmmss') }
$jsonPath = Join-Path $OutputPath "$stem.json"
$mdPath = Join-Path $OutputPath "$stem.md"
$report | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $jsonPath -Encoding utf8NoBOM

function Format-Seconds($v) { if ($null -eq $v) { '–' } else { ([double]$v).ToString('N2', $inv) } }
function Format-Ratio($v) { if ($null -eq $v -or [double]::IsNaN($v) -or [double]::IsInfinity($v)) { '–' } else { ([double]$v).ToString('0.00', $inv) + '×' } }
function Format-PerRun([scriptblock] $Pick) { ($runResults | ForEach-Object { Format-Seconds (& $Pick $_) }) -join ' / ' }
function Format-Verified([scriptblock] $Pick) { if (@($runResults | Where-Object { -not (& $Pick $_).ok }).Count -eq 0) { 'yes' } else { '**NO**' } }

$rows = @(
    [pscustomobject]@{ Method = 'floor: one transaction, drop FKs/keys/indexes, COPY FREEZE, rebuild (superuser)'; Median = $med.floorSeconds; Runs = (Format-PerRun { $args[0].floorSeconds }); Peak = $null; Size = $floorBytes; Ratio = $null; Verified = (Format-Verified { $args[0].floorVerification }); EndToEnd = $true }
    [pscustomobject]@{ Method = 'floor, only FKs dropped (keys and indexes in place)'; Median = $med.floorFkOnlySeconds; Runs = (Format-PerRun { $args[0].floorFkOnlySeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].floorFkOnlyVerification }); EndToEnd = $true }
    [pscustomobject]@{ Method = 'pg_dump --data-only --disable-triggers | psql -1 (superuser)'; Median = $med.pgDumpPsqlSeconds; Runs = (Format-PerRun { $args[0].pgDumpPsqlSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].pgDumpPsqlVerification }); EndToEnd = $true; Peer = $true }
    [pscustomobject]@{ Method = 'Export-FonanaDatabase'; Median = $med.exportSeconds; Runs = (Format-PerRun { $args[0].export.seconds }); Peak = $med.exportPeakBytes; Size = $med.archiveBytes; Ratio = $null; Verified = '' }
    [pscustomobject]@{ Method = 'Import-FonanaDatabase'; Median = $med.importSeconds; Runs = (Format-PerRun { $args[0].import.seconds }); Peak = $med.importPeakBytes; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].importVerification }); EndToEnd = $true }
    [pscustomobject]@{ Method = 'Export + Import'; Median = $med.exportImportSeconds; Runs = (Format-PerRun { $args[0].exportImportSeconds }); Peak = $null; Size = $null; Ratio = $ratios.exportImportVsPgDumpRestore; Verified = ''; EndToEnd = $true }
    [pscustomobject]@{ Method = 'Copy-FonanaDatabase'; Median = $med.copySeconds; Runs = (Format-PerRun { $args[0].copy.seconds }); Peak = $med.copyPeakBytes; Size = $null; Ratio = $ratios.copyVsPgDumpRestore; Verified = (Format-Verified { $args[0].copyVerification }); EndToEnd = $true }
    if ($CompareModulePath) { [pscustomobject]@{ Method = 'Copy-FonanaDatabase, compared build'; Median = $med.compareCopySeconds; Runs = (Format-PerRun { if ($args[0].compareCopy) { $args[0].compareCopy.seconds } }); Peak = $med.compareCopyPeakBytes; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].compareCopyVerification }); EndToEnd = $true } }
    [pscustomobject]@{ Method = 'pg_dump -Fc --data-only'; Median = $med.pgDumpSeconds; Runs = (Format-PerRun { $args[0].pgDumpSeconds }); Peak = $null; Size = $med.dumpBytes; Ratio = $null; Verified = '' }
    [pscustomobject]@{ Method = 'pg_restore --data-only --disable-triggers (superuser)'; Median = $med.pgRestoreSeconds; Runs = (Format-PerRun { $args[0].pgRestoreSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].pgRestoreVerification }) }
    [pscustomobject]@{ Method = 'pg_dump + pg_restore --data-only (baseline)'; Median = $med.pgDumpRestoreSeconds; Runs = (Format-PerRun { $args[0].pgDumpRestoreSeconds }); Peak = $null; Size = $null; Ratio = 1.0; Verified = ''; EndToEnd = $true; Peer = $true }
    [pscustomobject]@{ Method = 'pg_dump -Fc (schema and data)'; Median = $med.pgDumpFullSeconds; Runs = (Format-PerRun { $args[0].pgDumpFullSeconds }); Peak = $null; Size = $med.fullDumpBytes; Ratio = $null; Verified = '' }
    [pscustomobject]@{ Method = "pg_restore --clean --if-exists (as $role)"; Median = $med.pgRestoreFullSeconds; Runs = (Format-PerRun { $args[0].pgRestoreFullSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].pgRestoreFullVerification }) }
    [pscustomobject]@{ Method = 'pg_dump + pg_restore --clean'; Median = $med.pgDumpRestoreFullSeconds; Runs = (Format-PerRun { $args[0].pgDumpRestoreFullSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = ''; EndToEnd = $true; Peer = $true }
)

$rows = @($rows | Where-Object { $null -ne $_.Median })
$md = [Text.StringBuilder]::new()
$null = $md.AppendLine("# FonanaMigration benchmark, scale $scaleText ($($startedAt.ToString('yyyy-MM-dd HH:mm zzz')))").AppendLine()
$null = $md.AppendLine(('{0:N0} rows, {1} of table data (pg_table_size), {2} of indexes; {3} measured run(s){4}. All results verified: **{5}**.' -f
    $totalRows, (Format-Size $tableBytes), (Format-Size $indexBytes), $Runs, $(if ($Runs -gt 1) { ', times are medians' } else { '' }), $(if ($allVerified) { 'yes' } else { 'NO' }))).AppendLine()
$null = $md.AppendLine('| Method | Seconds | Per run | × floor | × fastest peer | Peak RSS of pwsh | Size | vs pg_dump+pg_restore | Verified |')
$null = $md.AppendLine('|---|---:|---|---:|---:|---:|---:|---:|---|')
function Get-RowFlag($Row, [string] $Name) { $p = $Row.PSObject.Properties[$Name]; $null -ne $p -and $p.Value }
foreach ($row in $rows) {
    $vsFloor = if ((Get-RowFlag $row 'EndToEnd') -and $null -ne $row.Median -and $med.floorSeconds) { Format-Ratio ($row.Median / $med.floorSeconds) } else { '' }
    $vsPeer = if ((Get-RowFlag $row 'EndToEnd') -and $null -ne $row.Median -and $fastestPeer) { Format-Ratio ($row.Median / $fastestPeer) } else { '' }
    $null = $md.AppendLine("| $($row.Method -replace '\|', '\|') | $(Format-Seconds $row.Median) | $($row.Runs) | $vsFloor | $vsPeer | $(if ($row.Peak) { Format-Size $row.Peak } else { '' }) | $(if ($row.Size) { Format-Size $row.Size } else { '' }) | $(if ($null -ne $row.Ratio) { Format-Ratio $row.Ratio } else { '' }) | $($row.Verified) |")
}
$null = $md.AppendLine().AppendLine("Against the floor (the target server ingesting the same binary rows with nothing in between): **Copy $(Format-Ratio $ratios.copyVsFloor)**, **Export + Import $(Format-Ratio $ratios.exportImportVsFloor)** (Import alone $(Format-Ratio $ratios.importVsFloor)). Against the fastest peer ($(Format-Seconds $fastestPeer) s): Copy $(Format-Ratio $ratios.copyVsFastestPeer), Export + Import $(Format-Ratio $ratios.exportImportVsFastestPeer).$(if ($CompareModulePath) { " Copy, this build / compared build (``$CompareModulePath``): **$(Format-Ratio $ratios.copyVsComparedBuild)**." })")
$null = $md.AppendLine().AppendLine("Ratios (ours / baseline, below 1.00× is faster): Export+Import $(Format-Ratio $ratios.exportImportVsPgDumpRestore), Copy $(Format-Ratio $ratios.copyVsPgDumpRestore) against ``pg_dump`` + ``pg_restore --data-only --disable-triggers``; Export+Import $(Format-Ratio $ratios.exportImportVsPgDumpRestoreFull), Copy $(Format-Ratio $ratios.copyVsPgDumpRestoreFull) against ``pg_dump`` + ``pg_restore --clean``. Archive / dump size: $(Format-Ratio $ratios.archiveVsDumpSize).").AppendLine()

$null = $md.AppendLine('## Where the time goes (run 1)').AppendLine()
$null = $md.AppendLine(('Probes on the source: a binary COPY of every table to /dev/null takes {0} s; the content checksum of every table takes {1} s as md5 of each row''s text, {2} s as hashtextextended of each row''s text (row-text-v1, the module''s query when a server is older than 14), {3} s as hash_record_extended of each row (no text; the module''s typed-hash-v1 on 14+ also puts enum and json columns in as text). Export has to do both a COPY and a checksum of every table, so it cannot beat the slower of the two.' -f (Format-Seconds $probeCopy.Seconds), (Format-Seconds $probeChecksum.Seconds), (Format-Seconds $probeTextHash.Seconds), (Format-Seconds $probeHashRecord.Seconds))).AppendLine()
if ($firstImportPhases -or $firstCopyPhases) {
    # Every run of ours, by phase, from the engine's log lines (seconds from the start of the cmdlet call).
    $null = $md.AppendLine('Timeline of every run of ours, by phase (from the cmdlet''s verbose log; seconds):').AppendLine()
    $null = $md.AppendLine('| Run | Cmdlet | schema (connect, read + compare, lock, drop FKs/keys/indexes) | rows (COPY) | keys, indexes, FKs | verification (sequences, count + checksum) | COMMIT | ANALYZE | cmdlet total | pwsh start + exit |')
    $null = $md.AppendLine('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    foreach ($rr in $runResults) {
        $pairs = @(@('Import', $rr.importPhases, $rr.import), @('Copy', $rr.copyPhases, $rr.copy))
        if ($rr.PSObject.Properties['compareCopy']) { $pairs += , @('Copy (compared build)', $rr.compareCopyPhases, $rr.compareCopy) }
        foreach ($pair in $pairs) {
            $ph = $pair[1]; if (-not $ph) { continue }
            $null = $md.AppendLine("| $($rr.run) | $($pair[0]) | $(Format-Seconds $ph.schema) | $(Format-Seconds $ph.rows) | $(Format-Seconds $ph.rebuild) | $(Format-Seconds $ph.verification) | $(Format-Seconds $ph.commit) | $(Format-Seconds $ph.analyze) | $(Format-Seconds $pair[2].seconds) | $(Format-Seconds $ph.pwshStart) |")
        }
    }
    $null = $md.AppendLine()
}
# Per table: export time from its "Exported ... in <elapsed>." line, load times from the cmdlets' results.
$exportPerTable = @{}
foreach ($e in @($runResults[0].export.events)) {
    if ($e.message -match '^Exported (\S+?):.* in (\d+:\d\d:\d\d(?:\.\d+)?)\.?$') { $exportPerTable[$Matches[1]] = [TimeSpan]::Parse($Matches[2], $inv).TotalSeconds }
}
$importPerTable = @{}; foreach ($t in @($runResults[0].import.tableLoads | Where-Object { $_ })) { $importPerTable[$t.table] = $t.seconds }
$copyPerTable = @{}; foreach ($t in @($runResults[0].copy.tableLoads | Where-Object { $_ })) { $copyPerTable[$t.table] = $t.seconds }
$perTableNames = @($importPerTable.Keys + $exportPerTable.Keys | Sort-Object -Unique | Sort-Object { -[double]$(if ($importPerTable[$_]) { $importPerTable[$_] } else { 0 }) })
if ($perTableNames.Count -gt 0) {
    $null = $md.AppendLine('| Table | Export s (checksum + COPY + zip) | Import load s (COPY) | Copy load s (COPY) |').AppendLine('|---|---:|---:|---:|')
    foreach ($name in $perTableNames) { $null = $md.AppendLine("| $name | $(Format-Seconds $exportPerTable[$name]) | $(Format-Seconds $importPerTable[$name]) | $(Format-Seconds $copyPerTable[$name]) |") }
    $null = $md.AppendLine()
}
$null = $md.AppendLine('## Baseline').AppendLine()
foreach ($a in $baselineAttempts) {
    $null = $md.AppendLine("- Non-superuser attempt, ``$($a.invocation)``: $($a.outcome)$(if ($a.pgDumpWarning) { " (pg_dump warned: ``$($a.pgDumpWarning)``)" })")
}
$null = $md.AppendLine('- **Measured baseline (A)**: `pg_dump -Fc --data-only --exclude-table-data=public._prisma_migrations` (the rows the module moves), then `pg_restore --data-only --disable-triggers --single-transaction` **as the superuser** into the fresh Prisma-made schema. The superuser is an advantage given to the baseline: with the triggers off no row is checked against a foreign key, while the module re-validates every foreign key and compares every table''s count and checksum before COMMIT.')
$null = $md.AppendLine("- Baseline B, what does work for the non-superuser owner ``$role``: a full ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --no-owner --single-transaction``, which drops the Prisma-made objects and recreates them from the dump (tables, COPY, then indexes and foreign keys).").AppendLine()

$null = $md.AppendLine('## Data set').AppendLine()
$null = $md.AppendLine(('Generated by `bench/New-FonanaBenchData.sql` in {0} s. Table data {1} at this scale, {2} per 1.0 of scale.' -f (Format-Seconds $gen.Seconds), (Format-Size $tableBytes), (Format-Size ($tableBytes / $Scale)))).AppendLine()
$null = $md.AppendLine('| Table | Rows | Rows per 1.0 scale | Table size | Index size |').AppendLine('|---|---:|---:|---:|---:|')
foreach ($t in $tables) { $null = $md.AppendLine("| $($t.Table) | $($t.Rows.ToString('N0', $inv)) | $(if ($null -ne $t.RowsPerScale) { $t.RowsPerScale.ToString('N0', $inv) } else { 'fixed (schema.sql)' }) | $(Format-Size $t.TableBytes) | $(Format-Size $t.IndexBytes) |") }
$null = $md.AppendLine()

$null = $md.AppendLine('## Machine').AppendLine()
$null = $md.AppendLine("- $([Environment]::ProcessorCount) CPUs ($cpuModel), $(if ($memTotal) { Format-Size $memTotal } else { '?' }) memory, $([Runtime.InteropServices.RuntimeInformation]::OSDescription)")
$null = $md.AppendLine("- $serverVersion; $pgDumpVersion; .NET $([Environment]::Version); PowerShell $($PSVersionTable.PSVersion); FonanaMigration $moduleVersion (commit $gitCommit$(if ($gitDirty) { ', src/ modified' }); $engineBuild)")
$null = $md.AppendLine("- Storage: $($storage.Medium) under ``$($storage.Parent)`` ($(Get-FileSystemType $storage.Parent)); $($storage.Reason)")
$null = $md.AppendLine("- Load average at the end: $loadAverage (other work on the machine makes the times noisy)")
$null = $md.AppendLine("- Whole benchmark: $(Format-Seconds $benchClock.Elapsed.TotalSeconds) s").AppendLine()

$null = $md.AppendLine('## Reproduce').AppendLine().AppendLine('```').AppendLine($reproduce).AppendLine('```').AppendLine()
$null = $md.AppendLine('Each measured step, against a fresh database copied from `fonana_empty` on the target server:').AppendLine().AppendLine('```')
foreach ($c in $report.commands.GetEnumerator()) { $null = $md.AppendLine("# $($c.Key)").AppendLine($c.Value) }
$null = $md.AppendLine('```').AppendLine()
$null = $md.AppendLine('Cmdlet times are the Stopwatch around the cmdlet call inside its own pwsh process (start-up and Import-Module excluded; the JSON has the whole-process time as `processSeconds`). pg_dump and pg_restore times are the whole process. Peak RSS is VmHWM of the pwsh process that ran the step. Both servers run CHECKPOINT before every step.')
Set-Content -LiteralPath $mdPath -Value $md.ToString() -Encoding utf8NoBOM

$rows | Format-Table Method,
    @{ n = 'Seconds'; e = { Format-Seconds $_.Median }; a = 'right' },
    @{ n = 'Per run'; e = { $_.Runs } },
    @{ n = 'x floor'; e = { if ((Get-RowFlag $_ 'EndToEnd') -and $null -ne $_.Median -and $med.floorSeconds) { Format-Ratio ($_.Median / $med.floorSeconds) } }; a = 'right' },
    @{ n = 'Peak RSS'; e = { if ($_.Peak) { Format-Size $_.Peak } } ; a = 'right' },
    @{ n = 'Size'; e = { if ($_.Size) { Format-Size $_.Size } }; a = 'right' },
    @{ n = 'vs baseline'; e = { if ($null -ne $_.Ratio) { Format-Ratio $_.Ratio } }; a = 'right' },
    Verified -AutoSize | Out-String -Width 220 | Write-Host
Write-Host "Results: $mdPath"
Write-Host "         $jsonPath"
if (-not $allVerified) {
    Write-Error "Verification failed: $($failures -join '; ')"
    exit 1
}
