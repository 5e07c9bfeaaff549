#requires -Version 7.4
<#
.SYNOPSIS
    The one entry point: Build, Test, Demo, Help, Package.
.DESCRIPTION
    Run it in PowerShell 7.4 or later; on a machine with only the .NET SDK: `dotnet tool restore`, then
    `dotnet pwsh ./build.ps1 <Task>`. Test needs PostgreSQL's server binaries (initdb, pg_ctl, postgres, psql).
.EXAMPLE
    dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Help', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester tests to run (a path or a file name filter under tests/pester/); all by default.
    [string] $PesterPath = (Join-Path $PSScriptRoot 'tests/pester')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Set-Location $PSScriptRoot

$PesterVersion = '5.9.1'
$StageDir = Join-Path $PSScriptRoot 'out/FonanaMigration'
$ResultsDir = Join-Path $PSScriptRoot 'out/test-results'

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    # Builds every project; the module project stages out/FonanaMigration (manifest, assemblies, format, help).
    Invoke-Native dotnet @('build', 'FonanaMigration.sln', '-c', $Configuration, '-v', 'q', '-nologo', '-clp:ErrorsOnly')
    if (-not (Test-Path (Join-Path $StageDir 'FonanaMigration.psd1'))) { throw "The build did not stage $StageDir." }
    Write-Host "Staged module: $StageDir"
}

function Get-PesterModulePath {
    # Pester comes from NuGet like any package: restoring tests/tools fetches exactly the pinned version.
    Invoke-Native dotnet @('restore', 'tests/tools/Tools.csproj', '-v', 'q', '-nologo')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else {
        ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    }
    $psd1 = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $PesterVersion was not restored to $psd1." }
    $psd1
}

function Read-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Invoke-XunitTests {
    $counts = @()
    foreach ($project in Get-ChildItem tests -Filter *.Tests.csproj -Recurse) {
        $trxName = "$($project.BaseName).trx"
        Remove-Item (Join-Path $ResultsDir $trxName) -ErrorAction Ignore
        & dotnet test $project.FullName -c $Configuration --no-build -nologo --logger "trx;LogFileName=$trxName" --logger 'console;verbosity=normal' --results-directory $ResultsDir | Out-Host
        $trx = Join-Path $ResultsDir $trxName
        if (-not (Test-Path $trx)) { throw "dotnet test wrote no results for $($project.Name) (exit code $LASTEXITCODE)." }
        $counts += Read-TrxCounts $trx
    }
    $counts
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    Remove-Item $summary -ErrorAction Ignore
    # A fresh pwsh process: the module under test is loaded there and nowhere else, with autoloading off.
    $script = @"
`$ErrorActionPreference = 'Stop'
`$PSModuleAutoLoadingPreference = 'None'
Import-Module Microsoft.PowerShell.Management, Microsoft.PowerShell.Utility
Import-Module '$pester' -RequiredVersion $PesterVersion -Force
`$config = New-PesterConfiguration
`$config.Run.Path = '$PesterPath'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputFormat = 'JUnitXml'
`$config.TestResult.OutputPath = '$(Join-Path $ResultsDir 'pester.junit.xml')'
`$r = Invoke-Pester -Configuration `$config
[pscustomobject]@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount } |
    ConvertTo-Json | Set-Content -LiteralPath '$summary'
"@
    $env:FONANA_MODULE_PATH = Join-Path $StageDir 'FonanaMigration.psd1'
    # The fault-injection files append their summary lines here (tests/pester/FaultSetup.ps1); Invoke-Test prints them last.
    $env:FONANA_FAULT_SUMMARY = Join-Path $ResultsDir 'fault-summary.txt'
    Remove-Item $env:FONANA_FAULT_SUMMARY -ErrorAction Ignore
    & dotnet pwsh -NoProfile -NonInteractive -Command $script | Out-Host
    if (-not (Test-Path $summary)) { throw "Pester did not finish (exit code $LASTEXITCODE)." }
    Get-Content $summary -Raw | ConvertFrom-Json
}

# The third-party suite's SQL comes from Debian packages at test time (never committed): fetch it when missing.
function Invoke-ThirdPartyFetch {
    $dir = if ($env:FONANA_THIRDPARTY_DIR) { $env:FONANA_THIRDPARTY_DIR } else { Join-Path $PSScriptRoot 'out/thirdparty' }
    if (Test-Path (Join-Path $dir '.complete')) { return }
    & bash (Join-Path $PSScriptRoot 'tests/fixtures/thirdparty/fetch.sh') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "tests/fixtures/thirdparty/fetch.sh failed (exit code $LASTEXITCODE)." }
}

function Invoke-Test {
    Invoke-Build
    Invoke-ThirdPartyFetch
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null
    $all = @(Invoke-XunitTests) + @(Invoke-PesterTests)
    $passed = ($all | Measure-Object Passed -Sum).Sum
    $failed = ($all | Measure-Object Failed -Sum).Sum
    $skipped = ($all | Measure-Object Skipped -Sum).Sum
    Write-Host ''
    $faultSummary = Join-Path $ResultsDir 'fault-summary.txt'
    if (Test-Path $faultSummary) { Get-Content $faultSummary | Write-Host }
    # The closing line CI reads.
    Write-Host ("{0} passed, {1} failed{2}" -f $passed, $failed, $(if ($skipped) { ", $skipped skipped" } else { '' }))
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-Native dotnet @('build', 'tests/FonanaMigration.Testing', '-c', $Configuration, '-v', 'q', '-nologo', '-clp:ErrorsOnly')
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'docs/demo.ps1') -ModulePath (Join-Path $StageDir 'FonanaMigration.psd1') -Configuration $Configuration
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Package {
    # A .nupkg in out/feed that Install-PSResource / Save-PSResource accept (tests/pester/Package.Tests.ps1 installs one).
    Invoke-Build
    $package = & (Join-Path $PSScriptRoot 'tools/Publish-FonanaPackage.ps1') -ModulePath $StageDir -FeedPath (Join-Path $PSScriptRoot 'out/feed')
    Write-Host "Package: $($package.FullName)"
    Write-Host "Install: Register-PSResourceRepository -Name FonanaLocal -Uri '$($package.DirectoryName)' -Trusted; Install-PSResource FonanaMigration -Repository FonanaLocal"
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Help' { Invoke-Build } # help is compiled from en-US/*.md by every build
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
    }
}
