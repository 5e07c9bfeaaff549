# Run in a fresh pwsh by Package.Tests.ps1, with XDG_DATA_HOME pointing at a private folder so that repository
# registrations and the CurrentUser install stay out of the real profile. Packs the staged module, installs it the way a
# user would, and writes one JSON object.
param(
    [Parameter(Mandatory)] [string] $StagedModule,
    [Parameter(Mandatory)] [string] $FeedPath,
    [Parameter(Mandatory)] [string] $SavePath
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet

$package = & (Join-Path $PSScriptRoot '../../../tools/Publish-FonanaPackage.ps1') -ModulePath $StagedModule -FeedPath $FeedPath
Register-PSResourceRepository -Name FonanaTestFeed -Uri $FeedPath -Trusted
Install-PSResource -Name FonanaMigration -Repository FonanaTestFeed -Scope CurrentUser -TrustRepository -Quiet
New-Item -ItemType Directory -Force $SavePath | Out-Null
Save-PSResource -Name FonanaMigration -Repository FonanaTestFeed -Path $SavePath -TrustRepository -Quiet
$installed = Get-InstalledPSResource -Name FonanaMigration -Scope CurrentUser

[pscustomobject]@{
    Package          = $package.Name
    PackageEntries   = @([IO.Compression.ZipFile]::OpenRead($package.FullName).Entries.FullName)
    InstalledVersion = $installed.Version.ToString()
    InstalledPath    = $installed.InstalledLocation
    SavedManifest    = @(Get-ChildItem $SavePath -Recurse -Filter FonanaMigration.psd1).FullName
} | ConvertTo-Json -Compress
