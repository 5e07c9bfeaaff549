# Dot-sourced by every Pester file: imports the module under test (the staged build) and the throwaway-server fixture.
$ErrorActionPreference = 'Stop'
$modulePath = if ($env:FONANA_MODULE_PATH) { $env:FONANA_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/FonanaMigration/FonanaMigration.psd1' }
Import-Module $modulePath -Force
Import-Module (Join-Path $PSScriptRoot 'FonanaTestServer.psm1') -Force
& (Get-Module FonanaTestServer) { Import-FonanaTestingAssembly }

$script:TestPassword = 'fonana_pass'
$script:ExpectedCounts = @{}
foreach ($entry in [FonanaMigration.Testing.FonanaDatabase]::ExpectedCounts.GetEnumerator()) {
    if ($entry.Key -ne '_prisma_migrations') { $script:ExpectedCounts[$entry.Key] = $entry.Value }
}

function New-TestDirectory {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("fonana-test-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory $dir | Out-Null
    $dir
}

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
    Runs a script file in a new pwsh process (the same pwsh as this one) and returns its output lines.
    For tests whose point is what a clean process does: which assemblies load first, and into which context.
    #>
    param(
        [Parameter(Mandatory)] [string] $ScriptPath,
        [string[]] $ArgumentList = @()
    )
    # Under `dotnet pwsh` this process is dotnet running pwsh.dll; elsewhere it is pwsh itself.
    $executable = [Environment]::ProcessPath
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet' -and (Test-Path $pwshDll)) { @($pwshDll) } else { @() }
    $output = & $executable @prefix -NoProfile -NonInteractive -File $ScriptPath @ArgumentList 2>&1
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit code $LASTEXITCODE):`n$($output -join "`n")" }
    $output
}

function Get-NuGetPackageDirectory {
    <# .SYNOPSIS The global NuGet packages folder, where tests/tools/Tools.csproj restored its downloads. #>
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
}

function New-TestCredential([string] $UserName, [string] $Password) {
    # NetworkCredential makes the SecureString: ConvertTo-SecureString lives in a module the test process does not autoload.
    [pscredential]::new($UserName, [System.Net.NetworkCredential]::new('', $Password).SecurePassword)
}
