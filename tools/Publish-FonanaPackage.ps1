#requires -Version 7.4
<#
.SYNOPSIS
    Packs the staged module (out/FonanaMigration) into FonanaMigration.<version>.nupkg in a folder that works as a
    PowerShell repository: Install-PSResource and Save-PSResource can install from it.
.DESCRIPTION
    Called by `build.ps1 Package` and by tests/pester/Package.Tests.ps1. The version is the staged manifest's ModuleVersion,
    which the build took from Directory.Build.props. A temporary repository registration points at the feed while
    Publish-PSResource runs and is removed afterwards.
.OUTPUTS
    System.IO.FileInfo: the .nupkg.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FeedPath
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet

$manifest = Test-ModuleManifest (Join-Path $ModulePath 'FonanaMigration.psd1')
New-Item -ItemType Directory -Force $FeedPath | Out-Null
Get-ChildItem $FeedPath -Filter "FonanaMigration.$($manifest.Version).nupkg" | Remove-Item

$repository = 'FonanaMigrationPublish-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Register-PSResourceRepository -Name $repository -Uri (Resolve-Path $FeedPath).ProviderPath -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $repository -SkipDependenciesCheck
}
finally {
    Unregister-PSResourceRepository -Name $repository
}
Get-Item (Join-Path $FeedPath "FonanaMigration.$($manifest.Version).nupkg")
