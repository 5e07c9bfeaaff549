#requires -Version 7.4
<#
.SYNOPSIS
    Profiles one Copy-FonanaDatabase by phase: wall time and the CPU time of the pwsh process, of the source server
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
    Writes results/<date>-phases-scale<N>.md and .json. Linux only (/proc).
.PARAMETER Scale
    Data set size as in Invoke-FonanaBenchmark.ps1 (1.0 is about 1.2 GB of table data).
.PARAMETER ModulePath
    The staged module to profile (default out/FonanaMigration): e.g. a variant build copied to /tmp.
.PARAMETER Label
    Added to the report's name and title (e.g. the variant profiled).
.EXAMPLE
    dotnet build FonanaMigration.sln -c Release; dotnet pwsh ./bench/Measure-FonanaPhases.ps1 -Scale 0.1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)] [ValidateRange(0.001, 100)] [double] $Scale,
    [string] $ModulePath,
    [string] $Label,
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
$source = $null; $target = $null
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
    $sampler = [FonanaCpuSampler]::new((& $postmaster $source), (& $postmaster $target), $SampleMilliseconds)
    $selfStat = { $s = Get-Content /proc/self/stat -Raw; $f = $s.Substring($s.LastIndexOf(')') + 2).Split(' '); [long]$f[13] + [long]$f[14] }

    $info = [Diagnostics.ProcessStartInfo]::new($pwshCommand[0])
    foreach ($a in @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-FonanaBenchmarkStep.ps1'), '-Operation', 'Copy', '-ModulePath', $ModulePath)) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false; $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true
    $info.Environment['FONANA_BENCH_SOURCE'] = $source.ConnectionUri($role, $rolePassword, $sourceDb)
    $info.Environment['FONANA_BENCH_TARGET'] = $target.ConnectionUri($role, $rolePassword, $targetDb)
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
    if ($process.ExitCode -ne 0 -or -not $json) { throw "Copy failed (exit $($process.ExitCode)):`n$($err.GetAwaiter().GetResult())" }
    $step = $json | ConvertFrom-Json
    $loadAfter = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
    # Assert-FonanaRowCount throws on any difference (count or checksum of a table).
    Import-Module $ModulePath
    $verify = @(Assert-FonanaRowCount -Source $info.Environment['FONANA_BENCH_SOURCE'] -Target $info.Environment['FONANA_BENCH_TARGET'] -Checksum -ErrorAction Stop)
    $verified = $verify.Count -gt 0 -and [bool]$step.verified

    # Phase boundaries on the sampler's clock: the cmdlet's clock starts cmdletStartUnixMs (step script) after launch.
    $events = @($step.events)
    $at = { param([string] $Pattern, [switch] $Last)
        $e = @($events | Where-Object { $_.message -match $Pattern }); if ($e.Count -eq 0) { $null } elseif ($Last) { $e[-1].at } else { $e[0].at } }
    $cmdletStart = [long]$step.cmdletStartUnixMs
    $marks = [ordered]@{
        'pwsh start, Import-Module'                           = 0
        'schema (connect, read + compare, lock, drop)'        = ($cmdletStart - $startMs) / 1000
        'rows (COPY)'                                         = & $at '^Deferred \d+ foreign keys'
        'keys, indexes, FKs'                                  = & $at '^Loaded ' -Last
        'verification (sequences, count + checksum)'          = & $at '^Built \d+ keys'
        'COMMIT'                                              = & $at '^Verified '
        'ANALYZE'                                             = & $at '^Committed '
        'pwsh exit'                                           = $step.seconds
        'end'                                                 = ($endMs - $startMs) / 1000
    }
    $names = @($marks.Keys)
    $bounds = foreach ($n in $names) {
        $v = $marks[$n]
        if ($null -eq $v) { throw "The log lacks the line that starts phase '$n': the engine's messages changed." }
        if ($n -in 'pwsh start, Import-Module', 'schema (connect, read + compare, lock, drop)', 'end') { $startMs + [long]($v * 1000) } else { $cmdletStart + [long]($v * 1000) }
    }
    $samples = @($sampler.Samples)
    $valueAt = { param([long] $Ms, [scriptblock] $Pick)
        $s = $samples | Where-Object { $_.UnixMs -le $Ms } | Select-Object -Last 1
        if ($null -eq $s) { $s = $samples[0] }
        & $Pick $s }
    $backendAt = { param([long] $Ms, [int] $BackendPid)
        $v = 0L
        foreach ($s in $samples) { if ($s.UnixMs -gt $Ms) { break }; if ($s.Backends.ContainsKey($BackendPid)) { $v = $s.Backends[$BackendPid] } }
        $v }
    $allPids = @($sampler.Server.Keys)
    $phases = for ($i = 0; $i -lt $names.Count - 1; $i++) {
        $from = $bounds[$i]; $to = $bounds[$i + 1]
        $wall = [math]::Max(0.001, ($to - $from) / 1000)
        $cpu = @{}
        foreach ($k in 'Pwsh', 'SourceServer', 'TargetServer', 'Driver', 'MachineBusy', 'MachineIdle') {
            $cpu[$k] = ((& $valueAt $to ([scriptblock]::Create("`$args[0].$k"))) - (& $valueAt $from ([scriptblock]::Create("`$args[0].$k")))) / $tick
        }
        $busiest = @{}
        foreach ($server in 'source', 'target') {
            $top = $allPids | Where-Object { $sampler.Server[$_] -eq $server } | ForEach-Object {
                [pscustomobject]@{ Pid = $_; Cpu = ((& $backendAt $to $_) - (& $backendAt $from $_)) / $tick } } | Sort-Object Cpu -Descending | Select-Object -First 1
            $busiest[$server] = if ($top -and $top.Cpu -gt 0) {
                # The title it showed most often within the phase (it names the command it was running).
                $seen = @($samples | Where-Object { $_.UnixMs -ge $from -and $_.UnixMs -le $to -and $_.Titles.ContainsKey($top.Pid) } | ForEach-Object { $_.Titles[$top.Pid] })
                $title = if ($seen.Count -gt 0) { ($seen | Group-Object | Sort-Object Count -Descending | Select-Object -First 1).Name } elseif ($sampler.Titles.ContainsKey($top.Pid)) { $sampler.Titles[$top.Pid] } else { '?' }
                $title = $title -replace '127\.0\.0\.1\(\d+\)\s*', ''
                [ordered]@{ pid = $top.Pid; title = $title; cpuSeconds = [math]::Round($top.Cpu, 2) } } else { $null }
        }
        [ordered]@{
            phase = $names[$i]; wallSeconds = [math]::Round($wall, 2)
            pwshCpu = [math]::Round($cpu.Pwsh, 2); sourceCpu = [math]::Round($cpu.SourceServer, 2); targetCpu = [math]::Round($cpu.TargetServer, 2)
            samplerCpu = [math]::Round($cpu.Driver, 2)
            # Everything else the machine ran meanwhile (other users' work): what the run could not get.
            otherCpu = [math]::Round([math]::Max(0.0, $cpu.MachineBusy - $cpu.Pwsh - $cpu.SourceServer - $cpu.TargetServer - $cpu.Driver), 2)
            idleCpu = [math]::Round($cpu.MachineIdle, 2)
            busiestSource = $busiest.source; busiestTarget = $busiest.target
        }
    }
    $total = ($endMs - $startMs) / 1000
    $inv2 = { param($v) ([double]$v).ToString('0.00', $inv) }
    $cores = { param($c, $w) ([double]$c / [double]$w).ToString('0.00', $inv) }
    $describe = { param($b) if ($null -eq $b) { '–' } else { "$($b.cpuSeconds.ToString('0.00', $inv)) s ``$($b.title)``" } }
    $stamp = [DateTimeOffset]::Now
    $labelPart = if ($Label) { "-$($Label -replace '[^A-Za-z0-9._-]', '-')" } else { '' }
    $name = "{0:yyyy-MM-dd}-phases-scale{1}{2}" -f $stamp, $scaleText, $labelPart
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add("# Copy-FonanaDatabase by phase, scale $scaleText$(if ($Label) { " ($Label)" }) ($($stamp.ToString('yyyy-MM-dd HH:mm zzz', $inv)))")
    $lines.Add('')
    $lines.Add(("{0:N1} MiB of table data on {1}; one Copy in a fresh pwsh, verified (Assert-FonanaRowCount -Checksum): **{2}**. {3} CPU(s); load average before {4}, after {5}. Sampled every {6} ms (each figure is good to about one interval; the pwsh total is exact)." -f
        ($tableBytes / 1MB), $(if ($parent -eq '/dev/shm') { 'memory (/dev/shm)' } else { "disk ($parent)" }), $(if ($verified) { 'yes' } else { 'NO' }), [Environment]::ProcessorCount, ($loadBefore -join ' '), ($loadAfter -join ' '), $SampleMilliseconds))
    $lines.Add('')
    $lines.Add('CPU in seconds, and in cores (CPU seconds / wall seconds: 1.00 = one core busy for the whole phase). Server = every process of that server (backends, walwriter, checkpointer, …, ended backends included). Other work = the busy time of the whole machine (/proc/stat) minus the processes of this run and the sampler: on a shared machine, what the run could not get. Busiest backend = the one process of the server that used most CPU in the phase, with the process title it showed most often in the phase.')
    $lines.Add('')
    $lines.Add('| Phase | Wall s | pwsh CPU s (cores) | source server CPU s (cores) | target server CPU s (cores) | other work on the machine s (cores) | idle s (cores) | busiest source backend | busiest target backend |')
    $lines.Add('|---|---:|---:|---:|---:|---:|---:|---|---|')
    foreach ($p in $phases) {
        $lines.Add("| $($p.phase) | $(& $inv2 $p.wallSeconds) | $(& $inv2 $p.pwshCpu) ($(& $cores $p.pwshCpu $p.wallSeconds)) | $(& $inv2 $p.sourceCpu) ($(& $cores $p.sourceCpu $p.wallSeconds)) | $(& $inv2 $p.targetCpu) ($(& $cores $p.targetCpu $p.wallSeconds)) | $(& $inv2 $p.otherCpu) ($(& $cores $p.otherCpu $p.wallSeconds)) | $(& $inv2 $p.idleCpu) ($(& $cores $p.idleCpu $p.wallSeconds)) | $(& $describe $p.busiestSource) | $(& $describe $p.busiestTarget) |")
    }
    $sum = { param($k) ($phases | ForEach-Object { $_[$k] } | Measure-Object -Sum).Sum }
    $lines.Add("| **total** | $(& $inv2 $total) | $(& $inv2 $pwshTotal) ($(& $cores $pwshTotal $total)) | $(& $inv2 (& $sum 'sourceCpu')) ($(& $cores (& $sum 'sourceCpu') $total)) | $(& $inv2 (& $sum 'targetCpu')) ($(& $cores (& $sum 'targetCpu') $total)) | $(& $inv2 (& $sum 'otherCpu')) ($(& $cores (& $sum 'otherCpu') $total)) | $(& $inv2 (& $sum 'idleCpu')) ($(& $cores (& $sum 'idleCpu') $total)) | | |")
    $lines.Add('')
    $lines.Add("The sampler's own CPU (this script's process): $(& $inv2 (& $sum 'samplerCpu')) s over the run. Cmdlet time (its own stopwatch): $(& $inv2 $step.seconds) s; pwsh process $(& $inv2 $total) s.")
    $lines.Add('')
    $lines.Add('Reproduce:')
    $lines.Add('```')
    $lines.Add("dotnet build FonanaMigration.sln -c Release; dotnet pwsh ./bench/Measure-FonanaPhases.ps1 -Scale $scaleText$(if ($OnDisk) { ' -OnDisk' })")
    $lines.Add('```')
    New-Item -ItemType Directory -Force $OutputPath | Out-Null
    $md = Join-Path $OutputPath "$name.md"
    Set-Content -LiteralPath $md -Value ($lines -join "`n") -Encoding utf8NoBOM
    [ordered]@{ scale = $Scale; tableBytes = $tableBytes; verified = $verified; loadBefore = $loadBefore; loadAfter = $loadAfter; storage = $parent
        sampleMilliseconds = $SampleMilliseconds; processSeconds = $total; cmdletSeconds = $step.seconds; pwshCpuSeconds = $pwshTotal; phases = @($phases); events = $events } |
        ConvertTo-Json -Depth 6 | Set-Content -LiteralPath (Join-Path $OutputPath "$name.json") -Encoding utf8NoBOM
    $lines | Out-Host
    Write-Host "Report: $md"
    if (-not $verified) { exit 1 }
}
finally {
    if ($target) { $target.Dispose() }
    if ($source) { $source.Dispose() }
}
