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
    Data set size: 1.0 is about 1.2 GB of table data (see bench/README.md for rows per table).
.PARAMETER Runs
    Measured runs; the report gives each run and the median.
.PARAMETER OutputPath
    Directory for the .md and .json results (default bench/results).
.PARAMETER OnDisk
    Put servers, archive and dump on disk ($env:FONANA_PG_TMPDIR, else /var/tmp) even when /dev/shm has room.
    Without it, /dev/shm is used only when it (and free memory) holds about three times the data plus WAL.
.PARAMETER Build
    Run `dotnet build -c <Configuration>` first (otherwise only when the staged module or fixture DLL is missing).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./bench/Invoke-FonanaBenchmark.ps1 -Scale 1 -OnDisk
.EXAMPLE
    dotnet pwsh ./bench/Invoke-FonanaBenchmark.ps1 -Scale 0.05 -Runs 3
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)]
    [ValidateRange(0.001, 100.0)]
    [double] $Scale,

    [ValidateRange(1, 25)]
    [int] $Runs = 1,

    [string] $OutputPath = (Join-Path $PSScriptRoot 'results'),

    [switch] $OnDisk,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Build
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$inv = [Globalization.CultureInfo]::InvariantCulture
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
    $probeEnv = @{ PGPASSWORD = $rolePassword; PGAPPNAME = 'fonana-bench-probe' }
    $probeArgs = @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $source.Host, '-p', "$($source.Port)", '-U', $role, '-d', $sourceDb, '-o', ([IO.Path]::Combine($work, 'probe.out')))
    Set-Content -LiteralPath (Join-Path $work 'copy-probe.sql') -Value $copyProbe -Encoding utf8NoBOM
    Set-Content -LiteralPath (Join-Path $work 'checksum-probe.sql') -Value "SET extra_float_digits = 3;`n$checksumProbe" -Encoding utf8NoBOM
    $probeCopy = Invoke-Timed $psql ($probeArgs + @('-f', (Join-Path $work 'copy-probe.sql'))) $probeEnv
    $probeChecksum = Invoke-Timed $psql ($probeArgs + @('-f', (Join-Path $work 'checksum-probe.sql'))) $probeEnv
    if ($probeCopy.ExitCode -ne 0 -or $probeChecksum.ExitCode -ne 0) { throw "A probe failed: $($probeCopy.StdErr) $($probeChecksum.StdErr)" }
    Write-Step ("Probes on the source: binary COPY of every table {0:N2} s, content checksum of every table {1:N2} s" -f $probeCopy.Seconds, $probeChecksum.Seconds)

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

    function Invoke-Step([string] $Operation, [string] $TargetUri, [string] $ArchivePath) {
        $arguments = @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $stepScript, '-Operation', $Operation, '-ModulePath', $modulePath)
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
        $restored = & $at '^Rebuilt \d+ indexes'
        $committed = & $at '^Committed '
        if ($null -in @($deferred, $loaded, $restored, $committed)) { return $null }
        [ordered]@{
            prepare         = $deferred                   # connect, read and compare schemas, lock, drop FKs and plain indexes
            load            = $loaded - $deferred         # COPY of every table
            rebuild         = $restored - $loaded         # CREATE INDEX + ADD CONSTRAINT (validation)
            verifyAndCommit = $committed - $restored      # sequences, count + checksum of every table, COMMIT
            analyze         = $Step.seconds - $committed  # ANALYZE after COMMIT
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

    $methods = @('ExportImport', 'Copy', 'PgDumpRestore')
    for ($run = 1; $run -le $Runs; $run++) {
        # Rotate the order between runs so no method always runs first (cold) or last.
        $order = @($methods[(($run - 1) % 3)..2]) + @(if (($run - 1) % 3) { $methods[0..((($run - 1) % 3) - 1)] })
        $r = [ordered]@{ run = $run; order = $order }
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
        Write-Step ("Run {0}: Export {1:N2} s + Import {2:N2} s = {3:N2} s; Copy {4:N2} s; pg_dump {5:N2} s + pg_restore {6:N2} s = {7:N2} s" -f $run,
            $r.export.seconds, $r.import.seconds, $r.exportImportSeconds, $r.copy.seconds, $r.pgDumpSeconds, $r.pgRestoreSeconds, $r.pgDumpRestoreSeconds)
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
}
$ratios = [ordered]@{
    exportImportVsPgDumpRestore     = $med.exportImportSeconds / $med.pgDumpRestoreSeconds
    copyVsPgDumpRestore             = $med.copySeconds / $med.pgDumpRestoreSeconds
    exportImportVsPgDumpRestoreFull = $med.exportImportSeconds / $med.pgDumpRestoreFullSeconds
    copyVsPgDumpRestoreFull         = $med.copySeconds / $med.pgDumpRestoreFullSeconds
    archiveVsDumpSize               = $med.archiveBytes / $med.dumpBytes
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
    probes = [ordered]@{ binaryCopyOfEveryTableSeconds = $probeCopy.Seconds; checksumOfEveryTableSeconds = $probeChecksum.Seconds }
    commands = [ordered]@{
        exportImport = 'Export-FonanaDatabase -Source $source -Path run.fnz; Import-FonanaDatabase -Path run.fnz -Target $target -Confirm:$false'
        copy = 'Copy-FonanaDatabase -Source $source -Target $target -Confirm:$false'
        pgDump = "PGPASSWORD=... pg_dump -Fc --data-only --exclude-table-data=public._prisma_migrations -f run.dump -h 127.0.0.1 -p <source port> -U $role -d $sourceDb"
        pgRestore = 'PGPASSWORD=<superuser> pg_restore --data-only --disable-triggers --single-transaction --exit-on-error -h 127.0.0.1 -p <target port> -U postgres -d <fresh fonana_empty copy> run.dump'
        pgDumpFull = "PGPASSWORD=... pg_dump -Fc -f run-full.dump -h 127.0.0.1 -p <source port> -U $role -d $sourceDb"
        pgRestoreFull = "PGPASSWORD=... pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error -h 127.0.0.1 -p <target port> -U $role -d <fresh fonana_empty copy> run-full.dump"
        verify = 'Assert-FonanaRowCount -Source $source -Target $target -Checksum; plus validated FK count, index count and sequence positions equal to the source'
    }
    baselineAttempts = @($baselineAttempts)
    median = $med
    ratios = $ratios
    runs = @($runResults)
}

New-Item -ItemType Directory -Force $OutputPath | Out-Null
$stem = '{0}-scale{1}' -f $startedAt.ToString('yyyy-MM-dd'), $scaleText
if ((Test-Path (Join-Path $OutputPath "$stem.json")) -or (Test-Path (Join-Path $OutputPath "$stem.md"))) { $stem += '-' + $startedAt.ToString('HHmmss') }
$jsonPath = Join-Path $OutputPath "$stem.json"
$mdPath = Join-Path $OutputPath "$stem.md"
$report | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $jsonPath -Encoding utf8NoBOM

function Format-Seconds($v) { if ($null -eq $v) { '–' } else { ([double]$v).ToString('N2', $inv) } }
function Format-Ratio($v) { if ($null -eq $v -or [double]::IsNaN($v) -or [double]::IsInfinity($v)) { '–' } else { ([double]$v).ToString('0.00', $inv) + '×' } }
function Format-PerRun([scriptblock] $Pick) { ($runResults | ForEach-Object { Format-Seconds (& $Pick $_) }) -join ' / ' }
function Format-Verified([scriptblock] $Pick) { if (@($runResults | Where-Object { -not (& $Pick $_).ok }).Count -eq 0) { 'yes' } else { '**NO**' } }

$rows = @(
    [pscustomobject]@{ Method = 'Export-FonanaDatabase'; Median = $med.exportSeconds; Runs = (Format-PerRun { $args[0].export.seconds }); Peak = $med.exportPeakBytes; Size = $med.archiveBytes; Ratio = $null; Verified = '' }
    [pscustomobject]@{ Method = 'Import-FonanaDatabase'; Median = $med.importSeconds; Runs = (Format-PerRun { $args[0].import.seconds }); Peak = $med.importPeakBytes; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].importVerification }) }
    [pscustomobject]@{ Method = 'Export + Import'; Median = $med.exportImportSeconds; Runs = (Format-PerRun { $args[0].exportImportSeconds }); Peak = $null; Size = $null; Ratio = $ratios.exportImportVsPgDumpRestore; Verified = '' }
    [pscustomobject]@{ Method = 'Copy-FonanaDatabase'; Median = $med.copySeconds; Runs = (Format-PerRun { $args[0].copy.seconds }); Peak = $med.copyPeakBytes; Size = $null; Ratio = $ratios.copyVsPgDumpRestore; Verified = (Format-Verified { $args[0].copyVerification }) }
    [pscustomobject]@{ Method = 'pg_dump -Fc --data-only'; Median = $med.pgDumpSeconds; Runs = (Format-PerRun { $args[0].pgDumpSeconds }); Peak = $null; Size = $med.dumpBytes; Ratio = $null; Verified = '' }
    [pscustomobject]@{ Method = 'pg_restore --data-only --disable-triggers (superuser)'; Median = $med.pgRestoreSeconds; Runs = (Format-PerRun { $args[0].pgRestoreSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].pgRestoreVerification }) }
    [pscustomobject]@{ Method = 'pg_dump + pg_restore --data-only (baseline)'; Median = $med.pgDumpRestoreSeconds; Runs = (Format-PerRun { $args[0].pgDumpRestoreSeconds }); Peak = $null; Size = $null; Ratio = 1.0; Verified = '' }
    [pscustomobject]@{ Method = 'pg_dump -Fc (schema and data)'; Median = $med.pgDumpFullSeconds; Runs = (Format-PerRun { $args[0].pgDumpFullSeconds }); Peak = $null; Size = $med.fullDumpBytes; Ratio = $null; Verified = '' }
    [pscustomobject]@{ Method = "pg_restore --clean --if-exists (as $role)"; Median = $med.pgRestoreFullSeconds; Runs = (Format-PerRun { $args[0].pgRestoreFullSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = (Format-Verified { $args[0].pgRestoreFullVerification }) }
    [pscustomobject]@{ Method = 'pg_dump + pg_restore --clean'; Median = $med.pgDumpRestoreFullSeconds; Runs = (Format-PerRun { $args[0].pgDumpRestoreFullSeconds }); Peak = $null; Size = $null; Ratio = $null; Verified = '' }
)

$md = [Text.StringBuilder]::new()
$null = $md.AppendLine("# FonanaMigration benchmark, scale $scaleText ($($startedAt.ToString('yyyy-MM-dd HH:mm zzz')))").AppendLine()
$null = $md.AppendLine(('{0:N0} rows, {1} of table data (pg_table_size), {2} of indexes; {3} measured run(s){4}. All results verified: **{5}**.' -f
    $totalRows, (Format-Size $tableBytes), (Format-Size $indexBytes), $Runs, $(if ($Runs -gt 1) { ', times are medians' } else { '' }), $(if ($allVerified) { 'yes' } else { 'NO' }))).AppendLine()
$null = $md.AppendLine('| Method | Seconds | Per run | Peak RSS of pwsh | Size | vs pg_dump+pg_restore | Verified |')
$null = $md.AppendLine('|---|---:|---|---:|---:|---:|---|')
foreach ($row in $rows) {
    $null = $md.AppendLine("| $($row.Method) | $(Format-Seconds $row.Median) | $($row.Runs) | $(if ($row.Peak) { Format-Size $row.Peak } else { '' }) | $(if ($row.Size) { Format-Size $row.Size } else { '' }) | $(if ($null -ne $row.Ratio) { Format-Ratio $row.Ratio } else { '' }) | $($row.Verified) |")
}
$null = $md.AppendLine().AppendLine("Ratios (ours / baseline, below 1.00× is faster): Export+Import $(Format-Ratio $ratios.exportImportVsPgDumpRestore), Copy $(Format-Ratio $ratios.copyVsPgDumpRestore) against ``pg_dump`` + ``pg_restore --data-only --disable-triggers``; Export+Import $(Format-Ratio $ratios.exportImportVsPgDumpRestoreFull), Copy $(Format-Ratio $ratios.copyVsPgDumpRestoreFull) against ``pg_dump`` + ``pg_restore --clean``. Archive / dump size: $(Format-Ratio $ratios.archiveVsDumpSize).").AppendLine()

$null = $md.AppendLine('## Where the time goes (run 1)').AppendLine()
$null = $md.AppendLine(('Probes on the source: a binary COPY of every table to /dev/null takes {0} s; the content checksum of every table (the query the module runs) takes {1} s. Export has to do both for every table, so it cannot beat the slower of the two.' -f (Format-Seconds $probeCopy.Seconds), (Format-Seconds $probeChecksum.Seconds))).AppendLine()
if ($firstImportPhases -or $firstCopyPhases) {
    $null = $md.AppendLine('| Phase (from the cmdlet''s verbose log) | Import s | Copy s |').AppendLine('|---|---:|---:|')
    foreach ($phase in 'prepare', 'load', 'rebuild', 'verifyAndCommit', 'analyze') {
        $label = @{ prepare = 'prepare (schemas, lock, drop FKs and plain indexes)'; load = 'load (COPY of every table)'; rebuild = 'rebuild indexes, re-add and validate FKs'; verifyAndCommit = 'sequences, count + checksum of every table, COMMIT'; analyze = 'ANALYZE after COMMIT' }[$phase]
        $null = $md.AppendLine("| $label | $(Format-Seconds $(if ($firstImportPhases) { $firstImportPhases[$phase] })) | $(Format-Seconds $(if ($firstCopyPhases) { $firstCopyPhases[$phase] })) |")
    }
    $null = $md.AppendLine()
}
# Per table: export time from its "Exported ... in <elapsed>." line, load times from the cmdlets' results.
$exportPerTable = @{}
foreach ($e in @($runResults[0].export.events)) {
    if ($e.message -match '^Exported (\S+?):.* in (\d+:\d\d:\d\d(?:\.\d+)?)\.?$') { $exportPerTable[$Matches[1]] = [TimeSpan]::Parse($Matches[2], $inv).TotalSeconds }
}
$importPerTable = @{}; foreach ($t in @($runResults[0].import.tableLoads)) { $importPerTable[$t.table] = $t.seconds }
$copyPerTable = @{}; foreach ($t in @($runResults[0].copy.tableLoads)) { $copyPerTable[$t.table] = $t.seconds }
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
