#requires -Version 7.4
<#
.SYNOPSIS
    One timed cmdlet call in a fresh pwsh process, started by Invoke-FonanaBenchmark.ps1 for every measured step.
.DESCRIPTION
    A process of its own per step, so its peak working set (VmHWM) belongs to that one operation and nothing the
    driver holds (servers' bookkeeping, earlier steps, the verification) is counted. The connection strings come in
    the environment (FONANA_BENCH_SOURCE, FONANA_BENCH_TARGET), not on the command line. Only the cmdlet call is inside
    the stopwatch; pwsh start-up and Import-Module are not (the driver records the whole process time separately).
    Writes one line of JSON to stdout: the timing, memory and the cmdlet's own information records with their
    offsets, which show where the time went (deferring constraints, each table, rebuilding, commit).
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
$info = $null
$allocatedBefore = [GC]::GetTotalAllocatedBytes($false)
$started = [DateTime]::Now
$clock = [Diagnostics.Stopwatch]::StartNew()
$result = switch ($Operation) {
    'Export' { Export-FonanaDatabase -Source $source -Path $ArchivePath -InformationVariable info -InformationAction SilentlyContinue }
    'Import' { Import-FonanaDatabase -Path $ArchivePath -Target $target -Confirm:$false -InformationVariable info -InformationAction SilentlyContinue }
    'Copy' { Copy-FonanaDatabase -Source $source -Target $target -Confirm:$false -InformationVariable info -InformationAction SilentlyContinue }
}
$clock.Stop()

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
    events             = @($info | ForEach-Object {
        [ordered]@{ at = ($_.TimeGenerated - $started).TotalSeconds; event = @($_.Tags)[0]; message = [string]$_.MessageData }
    })
}
$summary | ConvertTo-Json -Depth 5 -Compress
