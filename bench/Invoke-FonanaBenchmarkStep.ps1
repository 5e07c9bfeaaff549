#requires -Version 7.4
<#
.SYNOPSIS
    One timed cmdlet call in a fresh pwsh process, started by Invoke-FonanaBenchmark.ps1 for every measured step.
.DESCRIPTION
    A process of its own per step, so its peak working set (VmHWM) belongs to that one operation and nothing the
    driver holds (servers' bookkeeping, earlier steps, the verification) is counted. The connection strings come in
    the environment (FONANA_BENCH_SOURCE, FONANA_BENCH_TARGET), not on the command line. Only the cmdlet call is inside
    the stopwatch; pwsh start-up and Import-Module are not (the driver records the whole process time separately).
    Writes one line of JSON to stdout: the timing, memory and the cmdlet's verbose log lines with their offsets,
    which show where the time went (deferring constraints, each table, rebuilding, commit).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Export', 'Import', 'Copy')] [string] $Operation,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $ArchivePath
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
Import-Module $ModulePath

$source = $env:FONANA_BENCH_SOURCE
$target = $env:FONANA_BENCH_TARGET
# The engine's log lines arrive as verbose records while the cmdlet runs; stamping each as it streams past gives the
# timeline (deferring constraints, every table, rebuilding, commit) without touching the module.
$events = [Collections.Generic.List[object]]::new()
$result = $null
$allocatedBefore = [GC]::GetTotalAllocatedBytes($false)
$cmdletStartUnixMs = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()   # lets Measure-FonanaPhases.ps1 place the log lines on its clock
$clock = [Diagnostics.Stopwatch]::StartNew()
& {
    switch ($Operation) {
        'Export' { Export-FonanaDatabase -Source $source -Path $ArchivePath -Verbose }
        'Import' { Import-FonanaDatabase -Path $ArchivePath -Target $target -Confirm:$false -Verbose }
        'Copy' { Copy-FonanaDatabase -Source $source -Target $target -Confirm:$false -Verbose }
    }
} 4>&1 | ForEach-Object {
    if ($_ -is [Management.Automation.VerboseRecord]) { $events.Add([ordered]@{ at = $clock.Elapsed.TotalSeconds; message = $_.Message }) }
    else { $result = $_ }
}
$clock.Stop()
if ($null -eq $result) { throw "$Operation returned nothing." }

$process = [Diagnostics.Process]::GetCurrentProcess()
$process.Refresh()
$vmHwmBytes = $null
if (Test-Path -LiteralPath '/proc/self/status') {
    $line = Get-Content -LiteralPath '/proc/self/status' | Where-Object { $_ -like 'VmHWM:*' } | Select-Object -First 1
    if ($line -match '(\d+)\s*kB') { $vmHwmBytes = [long]$Matches[1] * 1024 }
}

$summary = [ordered]@{
    operation          = $Operation
    seconds            = $clock.Elapsed.TotalSeconds
    cmdletStartUnixMs  = $cmdletStartUnixMs
    peakWorkingSet     = $process.PeakWorkingSet64
    vmHwmBytes         = $vmHwmBytes
    managedAllocated   = [GC]::GetTotalAllocatedBytes($false) - $allocatedBefore
    rows               = [long]$result.RowCount
    tables             = [int]$result.TableCount
    archiveBytes       = if ($Operation -eq 'Export') { [long]$result.SizeBytes } else { $null }
    verified           = if ($Operation -ne 'Export') { [bool]$result.Verified } else { $null }
    tableLoads         = if ($Operation -ne 'Export') {
        @($result.Tables | ForEach-Object { [ordered]@{ table = $_.Table; rows = $_.Rows; seconds = $_.Elapsed.TotalSeconds } })
    } else { @() }
    events             = @($events)
}
$summary | ConvertTo-Json -Depth 5 -Compress
