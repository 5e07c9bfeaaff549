# Run in a fresh pwsh by Package.Tests.ps1 after InstallFromLocalRepository.ps1, with the same XDG_DATA_HOME:
# imports FonanaMigration by name (from the CurrentUser module path) and uses it against a throwaway server.
$ErrorActionPreference = 'Stop'
Import-Module FonanaMigration
$module = Get-Module FonanaMigration
$schema = Get-FonanaSchema -Connection $env:FONANA_TEST_SOURCE
$engine = [FonanaMigration.Engine.Connections.DatabaseEndpoint].Assembly
[pscustomobject]@{
    ModuleBase      = $module.ModuleBase
    Version         = $module.Version.ToString()
    Tables          = $schema.Tables.Count
    EngineContext   = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name
    EngineLocation  = $engine.Location
    ManifestIsValid = [bool](Test-ModuleManifest (Join-Path $module.ModuleBase 'FonanaMigration.psd1'))
    HelpSynopsis    = (Get-Help Export-FonanaDatabase).Synopsis
} | ConvertTo-Json -Compress
