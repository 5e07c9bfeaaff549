#requires -Version 7.4
<#
.SYNOPSIS
    Profiles one Copy-FonanaDatabase (or Export-FonanaDatabase, Import-FonanaDatabase, or both) by phase: wall time and the CPU time of the pwsh process, of the source server
    and of the target server (and each one's busiest backend), so the part that bounds the run is visible.
.DESCRIPTION
    Starts a source and a target server with the test fixture, fills the source with New-FonanaBenchData.sql at
    -Scale, then runs Copy-FonanaDatabase once in a fresh pwsh (Invoke-FonanaBenchmarkStep.ps1) into a fresh
    fonana_empty copy while a sampler thread reads /proc every -SampleMilliseconds:
      - the pwsh process (utime + stime of /proc/<pid>/stat);
      - each server: the postmaster's own time + its reaped children's (cutime + cstime: backends that ended) + every
        live child's, so a backend that ends between two samples is still counted;
      - every live backend by pid, with its process title (user, database, current command).
    The phases come from the cmdlet's verbose log lines (the same ones Invoke-FonanaBenchmark.ps1's timeline uses);
    a counter's value at a phase boundary is its last sample before it, so every figure is good to one sampling
    interval. CPU is given in seconds and in cores (CPU seconds / wall seconds; 1.00 = one core busy the whole phase).
    -Operation Export, Import or ExportImport profiles those instead (Import alone imports an archive exported just
    before, unprofiled). Export's phases: snapshot + schema, the tables (ended by its last "Exported" line; the first
    table's start is its line's time minus the elapsed time it reports), split by what the source's backends were doing
    at each sample (COPY or SELECT in their process title, since Export logs only the end of each table), and finishing
    the archive. Import's: the archive proof (ended when the target first shows the Import's connection, as no line
    marks it), then the same phases as Copy.
    Writes results/<date>-phases-scale<N>.md and .json (Copy) or results/<date>-phases-<operation>-scale<N>.*. Linux only (/proc).
.PARAMETER Scale
    Data set size as in Invoke-FonanaBenchmark.ps1 (1.0 is about 1.2 GB of table data).
.PARAMETER ModulePath
    The staged module to profile (default out/FonanaMigration): e.g. a variant build copied to /tmp.
.PARAMETER Operation
    Copy (default), Export, Import, or ExportImport (Export, then Import of that archive: one report with both).
.PARAMETER Label
    Added to the report's name and title (e.g. the variant profiled).
.EXAMPLE
    dotnet build FonanaMigration.sln -c Release; dotnet pwsh ./bench/Measure-FonanaPhases.ps1 -Scale 0.1
.EXAMPLE
    dotnet pwsh ./bench/Measure-FonanaPhases.ps1 -Scale 1 -OnDisk -Operation ExportImport
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)] [ValidateRange(0.001, 100)] [double] $Scale,
    [string] $ModulePath,
    [string] $Label,
    [ValidateSet('Copy', 'Export', 'Import', 'ExportImport')] [string] $Operation = 'Copy',
    [switch] $OnDisk,
    [ValidateRange(20, 2000)] [int] $SampleMilliseconds = 100,
    [string] $OutputPath = (Join-Path $PSScriptRoot 'results')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if (-not (Test-Path '/proc/self/stat')) { throw 'Measure-FonanaPhases needs Linux (/proc).' }
$inv = [Globalization.CultureInfo]::InvariantCulture
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/FonanaMigration/FonanaMigration.psd1' }
$ModulePath = [IO.Path]::GetFullPath($ModulePath)
Add-Type -Path (Join-Path $root 'tests/FonanaMigration.Testing/bin/Release/net8.0/FonanaMigration.Testing.dll')
$role = 'fonana_user'; $rolePassword = 'fonana_pass'; $sourceDb = 'fonana_bench'; $targetDb = 'fonana_phases'
$hostPath = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$pwshCommand = if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { @($hostPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @($hostPath) }

# The sampler is C# on a thread of its own: reading /proc from PowerShell script every 100 ms would cost more CPU
# than some of the phases it measures, on a machine with two cores.
Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

public sealed class FonanaCpuSample
{
    public long UnixMs;
    public long Pwsh;
    public long Driver;
    public long SourceServer;
    public long TargetServer;
    public long MachineBusy;
    public long MachineIdle;
    public Dictionary<int, long> Backends = new Dictionary<int, long>();
    public Dictionary<int, string> Titles = new Dictionary<int, string>();
}

public sealed class FonanaCpuSampler
{
    public readonly List<FonanaCpuSample> Samples = new List<FonanaCpuSample>();
    public readonly Dictionary<int, string> Titles = new Dictionary<int, string>();
    public readonly Dictionary<int, string> Server = new Dictionary<int, string>();
    readonly int _source, _target;
    volatile int _pwsh;
    readonly int _interval;
    volatile bool _stop;
    Thread _thread;
    long _lastPwsh;

    public FonanaCpuSampler(int sourcePostmaster, int targetPostmaster, int intervalMs)
    { _source = sourcePostmaster; _target = targetPostmaster; _interval = intervalMs; }

    public int Pwsh { set { _pwsh = value; } }

    // Fields after the ")" of /proc/<pid>/stat: [1] ppid ... [11] utime [12] stime [13] cutime [14] cstime (in ticks).
    static string[] Stat(int pid)
    {
        try { var s = File.ReadAllText("/proc/" + pid + "/stat"); return s.Substring(s.LastIndexOf(')') + 2).Split(' '); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
    static long Own(string[] f) => f == null ? 0 : long.Parse(f[11]) + long.Parse(f[12]);
    static long Reaped(string[] f) => f == null ? 0 : long.Parse(f[13]) + long.Parse(f[14]);

    static IEnumerable<int> Children(int pid)
    {
        string text;
        try { text = File.ReadAllText("/proc/" + pid + "/task/" + pid + "/children"); } catch (IOException) { yield break; }
        foreach (var p in text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries)) yield return int.Parse(p);
    }

    long ServerTotal(int postmaster, string name, FonanaCpuSample sample)
    {
        var pm = Stat(postmaster);
        long total = Own(pm) + Reaped(pm);
        foreach (var child in Children(postmaster))
        {
            var f = Stat(child);
            if (f == null) continue;
            var own = Own(f);
            total += own + Reaped(f);
            sample.Backends[child] = own;
            Server[child] = name;
            try
            {
                var title = File.ReadAllText("/proc/" + child + "/cmdline").Replace('\0', ' ').Trim();
                if (title.Length > 0) { Titles[child] = title; sample.Titles[child] = title; }
            }
            catch (IOException) { }
        }
        return total;
    }

    public FonanaCpuSample Take()
    {
        var sample = new FonanaCpuSample { UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        var pwsh = _pwsh;
        // After the pwsh process ends its last reading stands (the driver adds the exact total from its own cutime).
        if (pwsh > 0) { var f = Stat(pwsh); if (f != null) _lastPwsh = Own(f) + Reaped(f); }
        sample.Pwsh = _lastPwsh;
        sample.Driver = Own(Stat(Environment.ProcessId));
        // First line of /proc/stat: every CPU's user nice system idle iowait irq softirq steal (ticks), the whole machine.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        sample.MachineIdle = cpu[3] + cpu[4];
        sample.MachineBusy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
        sample.SourceServer = ServerTotal(_source, "source", sample);
        sample.TargetServer = ServerTotal(_target, "target", sample);
        return sample;
    }

    public void Start()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                var s = Take();
                lock (Samples) Samples.Add(s);
                Thread.Sleep(_interval);
            }
        }) { IsBackground = true, Name = "fonana-cpu-sampler" };
        _thread.Start();
    }

    public void Stop() { _stop = true; _thread?.Join(); lock (Samples) Samples.Add(Take()); }
}
'@

$tick = [double](& getconf CLK_TCK)
$loadBefore = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$parent = if ($env:FONANA_PG_TMPDIR) { $env:FONANA_PG_TMPDIR } elseif ($OnDisk -or -not (Test-Path '/dev/shm')) { '/var/tmp' } else { '/dev/shm' }
$options = [FonanaMigration.Testing.PostgresServerOptions]@{ Name = 'phases-source'; ParentDirectory = $parent; TimeZone = 'UTC' }
$source = $null; $target = $null; $archivePath = $null
try {
    $source = [FonanaMigration.Testing.PostgresServer]::Start($options)
    $options.Name = 'phases-target'
    $target = [FonanaMigration.Testing.PostgresServer]::Start($options)
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($source)
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($target)
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($source, $sourceDb)
    $scaleText = $Scale.ToString('0.###', $inv)
    Write-Host "Generating scale $scaleText under $parent"
    $env:PGPASSWORD = $rolePassword
    & (Join-Path $source.BinDirectory 'psql') -X -q -v ON_ERROR_STOP=1 -v "scale=$scaleText" -h $source.Host -p $source.Port -U $role -d $sourceDb -f (Join-Path $PSScriptRoot 'New-FonanaBenchData.sql')
    if ($LASTEXITCODE -ne 0) { throw "The generator failed (exit $LASTEXITCODE)." }
    Remove-Item Env:PGPASSWORD
    $tableBytes = [long]$source.QueryScalar($sourceDb, "SELECT sum(pg_table_size(c.oid)) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'")
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($target, $targetDb)
    $source.ExecuteSql('postgres', 'CHECKPOINT;'); $target.ExecuteSql('postgres', 'CHECKPOINT;')

    $postmaster = { param($server) [int]((Get-Content (Join-Path $server.DataDirectory 'postmaster.pid') -TotalCount 1).Trim()) }
    $selfStat = { $s = Get-Content /proc/self/stat -Raw; $f = $s.Substring($s.LastIndexOf(')') + 2).Split(' '); [long]$f[13] + [long]$f[14] }
    $sourceUri = $source.ConnectionUri($role, $rolePassword, $sourceDb)
    $targetUri = $target.ConnectionUri($role, $rolePassword, $targetDb)
    $archivePath = Join-Path $parent "phases-$PID.fnz"

    # One cmdlet in a fresh pwsh (Invoke-FonanaBenchmarkStep.ps1) with a sampler of its own: the run's samples, clocks and log.
    $runStep = { param([string] $Op)
        $sampler = [FonanaCpuSampler]::new((& $postmaster $source), (& $postmaster $target), $SampleMilliseconds)
        $info = [Diagnostics.ProcessStartInfo]::new($pwshCommand[0])
        $stepArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-FonanaBenchmarkStep.ps1'), '-Operation', $Op, '-ModulePath', $ModulePath)
        if ($Op -ne 'Copy') { $stepArgs += @('-ArchivePath', $archivePath) }
        foreach ($a in @($pwshCommand | Select-Object -Skip 1) + $stepArgs) { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false; $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true
        $info.Environment['FONANA_BENCH_SOURCE'] = $sourceUri
        $info.Environment['FONANA_BENCH_TARGET'] = $targetUri
        $reapedBefore = & $selfStat
        $sampler.Start()
        $startMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $process = [Diagnostics.Process]::Start($info)
        $sampler.Pwsh = $process.Id
        $out = $process.StandardOutput.ReadToEndAsync(); $err = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        $endMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $sampler.Stop()
        $pwshTotal = ((& $selfStat) - $reapedBefore) / $tick   # exact: the only child reaped in between
        $json = $out.GetAwaiter().GetResult() -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1
        if ($process.ExitCode -ne 0 -or -not $json) { throw "$Op failed (exit $($process.ExitCode)):`n$($err.GetAwaiter().GetResult())" }
        [pscustomobject]@{ Operation = $Op; Step = ($json | ConvertFrom-Json); Sampler = $sampler; Samples = @($sampler.Samples); StartMs = $startMs; EndMs = $endMs; PwshTotal = $pwshTotal }
    }

    # A log line's time on the sampler's clock (the cmdlet's clock starts cmdletStartUnixMs, the step script's, after launch).
    $logAt = { param($Run, [string] $Pattern, [switch] $Last)
        $e = @($Run.Step.events | Where-Object { $_.message -match $Pattern })
        if ($e.Count -eq 0) { throw "The log lacks a line matching '$Pattern': the engine's messages changed." }
        [long]$Run.Step.cmdletStartUnixMs + [long]($(if ($Last) { $e[-1].at } else { $e[0].at }) * 1000) }
    $cmdletAt = { param($Run, [double] $Seconds) [long]$Run.Step.cmdletStartUnixMs + [long]($Seconds * 1000) }
    # Server backends connected to a database (the process title names it), in one sample.
    $titlesOf = { param($Sample, [string] $Database) @($Sample.Titles.Values | Where-Object { $_ -match "^postgres: \S+ $([regex]::Escape($Database)) " }) }

    # Phase boundaries (ms on the sampler's clock), in order; the last one ends the run.
    $marksFor = { param($Run)
        $m = [ordered]@{ 'pwsh start, Import-Module' = $Run.StartMs }
        switch ($Run.Operation) {
            'Copy' {
                $m['schema (connect, read + compare, lock, drop)'] = [long]$Run.Step.cmdletStartUnixMs
                $m['rows (COPY)'] = & $logAt $Run '^Deferred \d+ foreign keys'
                $m['keys, indexes, FKs'] = & $logAt $Run '^Loaded ' -Last
                $m['verification (sequences, count + checksum)'] = & $logAt $Run '^Built \d+ keys'
                $m['COMMIT'] = & $logAt $Run '^Verified '
                $m['ANALYZE'] = & $logAt $Run '^Committed '
            }
            'Export' {
                $m['snapshot + schema (connect, REPEATABLE READ snapshot, lock, read schema)'] = [long]$Run.Step.cmdletStartUnixMs
                # Export logs one line per table when it is done, with the table's elapsed time: the first table began that long before.
                $first = @($Run.Step.events | Where-Object { $_.message -match '^Exported ' })[0]
                if ($first.message -notmatch ' in (\S+)\.$') { throw "Unexpected Export log line: $($first.message)" }
                $m['tables (COPY OUT -> archive entry; count + checksum)'] = & $cmdletAt $Run ($first.at - [TimeSpan]::Parse($Matches[1], $inv).TotalSeconds)
                $m['finish archive (manifest, fsync, rename), end snapshot'] = & $logAt $Run '^Exported ' -Last
            }
            'Import' {
                $m['archive proof (SHA-256 + rows of every entry)'] = [long]$Run.Step.cmdletStartUnixMs
                # No log line ends the proof: the target connection opens right after it, so its first sighting does
                # (the last sample without it; good to one sampling interval).
                $i = 0; while ($i -lt $Run.Samples.Count -and @(& $titlesOf $Run.Samples[$i] $targetDb).Count -eq 0) { $i++ }
                if ($i -ge $Run.Samples.Count) { throw 'No sample shows the Import connection on the target.' }
                $m['schema (connect, read + compare, lock, drop)'] = [math]::Max([long]$Run.Step.cmdletStartUnixMs, $Run.Samples[[math]::Max(0, $i - 1)].UnixMs)
                $m['rows (COPY from the archive)'] = & $logAt $Run '^Deferred \d+ foreign keys'
                $m['keys, indexes, FKs'] = & $logAt $Run '^Loaded ' -Last
                $m['verification (sequences, count + checksum)'] = & $logAt $Run '^Built \d+ keys'
                $m['COMMIT'] = & $logAt $Run '^Verified '
                $m['ANALYZE'] = & $logAt $Run '^Committed '
            }
        }
        $m['pwsh exit'] = & $cmdletAt $Run ([double]$Run.Step.seconds)
        $m['end'] = $Run.EndMs
        $m
    }

    $valueAt = { param($Samples, [long] $Ms, [string] $Key)
        $s = $Samples | Where-Object { $_.UnixMs -le $Ms } | Select-Object -Last 1
        if ($null -eq $s) { $s = $Samples[0] }
        $s.$Key }
    $backendAt = { param($Samples, [long] $Ms, [int] $BackendPid)
        $v = 0L
        foreach ($s in $Samples) { if ($s.UnixMs -gt $Ms) { break }; if ($s.Backends.ContainsKey($BackendPid)) { $v = $s.Backends[$BackendPid] } }
        $v }
    $counterKeys = 'Pwsh', 'SourceServer', 'TargetServer', 'Driver', 'MachineBusy', 'MachineIdle'
    # One row of the table from counter deltas (seconds) over wall seconds.
    $phaseRow = { param([string] $Name, [double] $Wall, $Cpu, $Busiest)
        [ordered]@{
            phase = $Name; wallSeconds = [math]::Round($Wall, 2)
            pwshCpu = [math]::Round($Cpu.Pwsh, 2); sourceCpu = [math]::Round($Cpu.SourceServer, 2); targetCpu = [math]::Round($Cpu.TargetServer, 2)
            samplerCpu = [math]::Round($Cpu.Driver, 2)
            # Everything else the machine ran meanwhile (other users' work): what the run could not get.
            otherCpu = [math]::Round([math]::Max(0.0, $Cpu.MachineBusy - $Cpu.Pwsh - $Cpu.SourceServer - $Cpu.TargetServer - $Cpu.Driver), 2)
            idleCpu = [math]::Round($Cpu.MachineIdle, 2)
            busiestSource = $Busiest.source; busiestTarget = $Busiest.target
        } }
    $phasesOf = { param($Run, $Marks)
        $samples = $Run.Samples; $sampler = $Run.Sampler
        $names = @($Marks.Keys); $bounds = @($Marks.Values)
        $allPids = @($sampler.Server.Keys)
        for ($i = 0; $i -lt $names.Count - 1; $i++) {
            $from = $bounds[$i]; $to = $bounds[$i + 1]
            $wall = [math]::Max(0.001, ($to - $from) / 1000)
            $cpu = @{}
            foreach ($k in $counterKeys) { $cpu[$k] = ((& $valueAt $samples $to $k) - (& $valueAt $samples $from $k)) / $tick }
            $busiest = @{}
            foreach ($server in 'source', 'target') {
                $top = $allPids | Where-Object { $sampler.Server[$_] -eq $server } | ForEach-Object {
                    [pscustomobject]@{ Pid = $_; Cpu = ((& $backendAt $samples $to $_) - (& $backendAt $samples $from $_)) / $tick } } | Sort-Object Cpu -Descending | Select-Object -First 1
                $busiest[$server] = if ($top -and $top.Cpu -gt 0) {
                    # The title it showed most often within the phase (it names the command it was running).
                    $seen = @($samples | Where-Object { $_.UnixMs -ge $from -and $_.UnixMs -le $to -and $_.Titles.ContainsKey($top.Pid) } | ForEach-Object { $_.Titles[$top.Pid] })
                    $title = if ($seen.Count -gt 0) { ($seen | Group-Object | Sort-Object Count -Descending | Select-Object -First 1).Name } elseif ($sampler.Titles.ContainsKey($top.Pid)) { $sampler.Titles[$top.Pid] } else { '?' }
                    $title = $title -replace '127\.0\.0\.1\(\d+\)\s*', ''
                    [ordered]@{ pid = $top.Pid; title = $title; cpuSeconds = [math]::Round($top.Cpu, 2) } } else { $null }
            }
            & $phaseRow $names[$i] $wall $cpu $busiest
        }
    }
    # Export's tables phase alternates COPY OUT and the checksum query per table without a log line between them: each
    # sampling interval goes to what the source's backends were doing at its end (their process titles).
    $exportSplit = { param($Run, $Marks)
        $names = @($Marks.Keys); $bounds = @($Marks.Values)
        $k = [array]::IndexOf($names, 'tables (COPY OUT -> archive entry; count + checksum)')
        $from = $bounds[$k]; $to = $bounds[$k + 1]
        $parts = [ordered]@{ '… of which COPY OUT (Deflate + SHA-256 in pwsh)' = @{}; '… of which count + checksum (source SELECT)' = @{}; '… of which neither (between statements)' = @{} }
        $wall = @{}; foreach ($p in $parts.Keys) { $wall[$p] = 0.0; foreach ($c in $counterKeys) { $parts[$p][$c] = 0.0 } }
        $s = $Run.Samples
        for ($i = 1; $i -lt $s.Count; $i++) {
            if ($s[$i - 1].UnixMs -lt $from -or $s[$i].UnixMs -gt $to) { continue }
            $titles = @(& $titlesOf $s[$i] $sourceDb)
            $p = if ($titles -match ' COPY') { @($parts.Keys)[0] } elseif ($titles -match ' SELECT') { @($parts.Keys)[1] } else { @($parts.Keys)[2] }
            $wall[$p] += ($s[$i].UnixMs - $s[$i - 1].UnixMs) / 1000
            foreach ($c in $counterKeys) { $parts[$p][$c] += ($s[$i].$c - $s[$i - 1].$c) / $tick }
        }
        foreach ($p in $parts.Keys) { if ($wall[$p] -gt 0) { & $phaseRow $p $wall[$p] $parts[$p] @{ source = $null; target = $null } } }
    }

    $operations = if ($Operation -eq 'ExportImport') { @('Export', 'Import') } else { @($Operation) }
    if ($Operation -eq 'Import') {
        Write-Host 'Exporting the archive to import (not profiled)'
        [void](& $runStep 'Export')
    }
    $runs = @(foreach ($op in $operations) {
        Write-Host "Profiling $op"
        $run = & $runStep $op
        $marks = & $marksFor $run
        $run | Add-Member phases @(& $phasesOf $run $marks)
        $run | Add-Member details @(if ($op -eq 'Export') { & $exportSplit $run $marks })
        $run
    })
    $loadAfter = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
    # Assert-FonanaRowCount throws on any difference (count or checksum of a table). Export alone is checked by Export
    # itself (each table's count and checksum from the same snapshot as its rows) and leaves the target empty.
    Import-Module $ModulePath
    $loaded = @($runs | Where-Object { $_.Operation -ne 'Export' })
    $verify = if ($loaded.Count -gt 0) { @(Assert-FonanaRowCount -Source $sourceUri -Target $targetUri -Checksum -ErrorAction Stop) } else { @() }
    $verified = (@($loaded | Where-Object { -not [bool]$_.Step.verified }).Count -eq 0) -and ($loaded.Count -eq 0 -or $verify.Count -gt 0)
    $archiveBytes = if (Test-Path -LiteralPath $archivePath) { (Get-Item -LiteralPath $archivePath).Length } else { $null }

    $inv2 = { param($v) ([double]$v).ToString('0.00', $inv) }
    $cores = { param($c, $w) ([double]$c / [double]$w).ToString('0.00', $inv) }
    $describe = { param($b) if ($null -eq $b) { '–' } else { "$($b.cpuSeconds.ToString('0.00', $inv)) s ``$($b.title)``" } }
    $rowLine = { param($p) "| $($p.phase) | $(& $inv2 $p.wallSeconds) | $(& $inv2 $p.pwshCpu) ($(& $cores $p.pwshCpu $p.wallSeconds)) | $(& $inv2 $p.sourceCpu) ($(& $cores $p.sourceCpu $p.wallSeconds)) | $(& $inv2 $p.targetCpu) ($(& $cores $p.targetCpu $p.wallSeconds)) | $(& $inv2 $p.otherCpu) ($(& $cores $p.otherCpu $p.wallSeconds)) | $(& $inv2 $p.idleCpu) ($(& $cores $p.idleCpu $p.wallSeconds)) | $(& $describe $p.busiestSource) | $(& $describe $p.busiestTarget) |" }
    $stamp = [DateTimeOffset]::Now
    $labelPart = if ($Label) { "-$($Label -replace '[^A-Za-z0-9._-]', '-')" } else { '' }
    # Copy keeps the report name it always had; the others say what they profiled.
    $opPart = if ($Operation -eq 'Copy') { '' } else { '-' + $Operation.ToLowerInvariant() }
    $name = "{0:yyyy-MM-dd}-phases{1}-scale{2}{3}" -f $stamp, $opPart, $scaleText, $labelPart
    $cmdlets = @{ Copy = 'Copy-FonanaDatabase'; Export = 'Export-FonanaDatabase'; Import = 'Import-FonanaDatabase'; ExportImport = 'Export-FonanaDatabase then Import-FonanaDatabase' }
    $what = @{ Copy = 'one Copy in a fresh pwsh, verified (Assert-FonanaRowCount -Checksum)'; Export = 'one Export in a fresh pwsh, verified by Export itself (counts + checksums in its snapshot)'
        Import = 'one Import of an archive exported just before, in a fresh pwsh, verified (Assert-FonanaRowCount -Checksum)'
        ExportImport = 'one Export, then one Import of that archive, each in a fresh pwsh, verified (Assert-FonanaRowCount -Checksum)' }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add("# $($cmdlets[$Operation]) by phase, scale $scaleText$(if ($Label) { " ($Label)" }) ($($stamp.ToString('yyyy-MM-dd HH:mm zzz', $inv)))")
    $lines.Add('')
    $lines.Add(("{0:N1} MiB of table data on {1}; {2}: **{3}**. {4} CPU(s); load average before {5}, after {6}. Sampled every {7} ms (each figure is good to about one interval; the pwsh total is exact)." -f
        ($tableBytes / 1MB), $(if ($parent -eq '/dev/shm') { 'memory (/dev/shm)' } else { "disk ($parent)" }), $what[$Operation], $(if ($verified) { 'yes' } else { 'NO' }), [Environment]::ProcessorCount, ($loadBefore -join ' '), ($loadAfter -join ' '), $SampleMilliseconds))
    $lines.Add('')
    $lines.Add('CPU in seconds, and in cores (CPU seconds / wall seconds: 1.00 = one core busy for the whole phase). Server = every process of that server (backends, walwriter, checkpointer, …, ended backends included). Other work = the busy time of the whole machine (/proc/stat) minus the processes of this run and the sampler: on a shared machine, what the run could not get. Busiest backend = the one process of the server that used most CPU in the phase, with the process title it showed most often in the phase.')
    if ($Operation -ne 'Copy') {
        $lines.Add('')
        $lines.Add("Export: pwsh reads each table's COPY OUT (binary where every column allows it), counts its rows and hashes it (SHA-256), while a second task of the same pwsh compresses it (Deflate, fastest) into the archive entry; the source runs the COPY OUT on one backend and, after it, the table's count + checksum on a second one in the same snapshot. The rows ending in '… of which' split the tables phase by what the source's backends were doing at each sample (COPY or SELECT in their process title), since Export logs only the end of each table. Import: pwsh first inflates and hashes every entry (up to 4 in parallel, capped at the core count) before it connects to the target (that phase ends when the target first shows the Import's connection, good to one interval); the rows phase then inflates and hashes each entry again while it streams it into the target's COPY.")
    }
    foreach ($run in $runs) {
        $phases = $run.phases
        $total = ($run.EndMs - $run.StartMs) / 1000
        $lines.Add('')
        if ($runs.Count -gt 1 -or $Operation -ne 'Copy') { $lines.Add("## $($cmdlets[$run.Operation])"); $lines.Add('') }
        $lines.Add('| Phase | Wall s | pwsh CPU s (cores) | source server CPU s (cores) | target server CPU s (cores) | other work on the machine s (cores) | idle s (cores) | busiest source backend | busiest target backend |')
        $lines.Add('|---|---:|---:|---:|---:|---:|---:|---|---|')
        foreach ($p in $phases) {
            $lines.Add((& $rowLine $p))
            if ($p.phase -like 'tables *') { foreach ($d in $run.details) { $lines.Add((& $rowLine $d)) } }
        }
        $sum = { param($k) ($phases | ForEach-Object { $_[$k] } | Measure-Object -Sum).Sum }
        $lines.Add("| **total** | $(& $inv2 $total) | $(& $inv2 $run.PwshTotal) ($(& $cores $run.PwshTotal $total)) | $(& $inv2 (& $sum 'sourceCpu')) ($(& $cores (& $sum 'sourceCpu') $total)) | $(& $inv2 (& $sum 'targetCpu')) ($(& $cores (& $sum 'targetCpu') $total)) | $(& $inv2 (& $sum 'otherCpu')) ($(& $cores (& $sum 'otherCpu') $total)) | $(& $inv2 (& $sum 'idleCpu')) ($(& $cores (& $sum 'idleCpu') $total)) | | |")
        $lines.Add('')
        $lines.Add("The sampler's own CPU (this script's process): $(& $inv2 (& $sum 'samplerCpu')) s over the run. Cmdlet time (its own stopwatch): $(& $inv2 $run.Step.seconds) s; pwsh process $(& $inv2 $total) s.$(if ($run.Operation -eq 'Export' -and $archiveBytes) { ' Archive: {0:N1} MiB.' -f ($archiveBytes / 1MB) })")
    }
    $lines.Add('')
    $lines.Add('Reproduce:')
    $lines.Add('```')
    $lines.Add("dotnet build FonanaMigration.sln -c Release; dotnet pwsh ./bench/Measure-FonanaPhases.ps1 -Scale $scaleText$(if ($OnDisk) { ' -OnDisk' })$(if ($Operation -ne 'Copy') { " -Operation $Operation" })")
    $lines.Add('```')
    New-Item -ItemType Directory -Force $OutputPath | Out-Null
    $md = Join-Path $OutputPath "$name.md"
    Set-Content -LiteralPath $md -Value ($lines -join "`n") -Encoding utf8NoBOM
    $runJson = { param($r) [ordered]@{ operation = $r.Operation; processSeconds = ($r.EndMs - $r.StartMs) / 1000; cmdletSeconds = $r.Step.seconds; pwshCpuSeconds = $r.PwshTotal
        phases = @($r.phases); split = @($r.details); events = @($r.Step.events) } }
    $report = [ordered]@{ scale = $Scale; operation = $Operation; tableBytes = $tableBytes; archiveBytes = $archiveBytes; verified = $verified; loadBefore = $loadBefore; loadAfter = $loadAfter; storage = $parent; sampleMilliseconds = $SampleMilliseconds }
    if ($Operation -eq 'Copy') {
        # Copy's JSON keeps its flat shape.
        $r = $runs[0]
        foreach ($k in 'processSeconds', 'cmdletSeconds', 'pwshCpuSeconds', 'phases', 'events') { $report[$k] = (& $runJson $r)[$k] }
        $report.Remove('operation'); $report.Remove('archiveBytes')
    }
    else { $report['runs'] = @($runs | ForEach-Object { & $runJson $_ }) }
    $report | ConvertTo-Json -Depth 7 | Set-Content -LiteralPath (Join-Path $OutputPath "$name.json") -Encoding utf8NoBOM
    $lines | Out-Host
    Write-Host "Report: $md"
    if (-not $verified) { exit 1 }
}
finally {
    if ($archivePath -and (Test-Path -LiteralPath $archivePath)) { Remove-Item -LiteralPath $archivePath -Force }
    if ($target) { $target.Dispose() }
    if ($source) { $source.Dispose() }
}
