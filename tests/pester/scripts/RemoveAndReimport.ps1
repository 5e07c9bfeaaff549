# Run in a fresh pwsh by Isolation.Tests.ps1: import, use, Remove-Module, import again, use again. Writes one JSON object.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ArchivePath
)
$ErrorActionPreference = 'Stop'
$source = $env:FONANA_TEST_SOURCE

Import-Module $ModulePath
$first = Export-FonanaDatabase -Source $source -Path $ArchivePath
Remove-Module FonanaMigration
$goneAfterRemove = -not (Get-Command Export-FonanaDatabase -ErrorAction Ignore)
$literalAfterRemove = [bool]('FonanaMigration.Engine.Connections.DatabaseEndpoint' -as [type])
Import-Module $ModulePath
$second = Export-FonanaDatabase -Source $source -Path $ArchivePath -Force
$endpoint = [FonanaMigration.Engine.Connections.DatabaseEndpoint]::Parse($source)

[pscustomobject]@{
    FirstRows            = $first.RowCount
    SecondRows           = $second.RowCount
    CommandsGoneOnRemove = $goneAfterRemove
    TypeLiteralOnRemove  = $literalAfterRemove
    TypeLiteralAfter     = $endpoint.GetType().FullName
    EngineCopies         = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'FonanaMigration.Engine' }).Count
    NpgsqlCopies         = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Npgsql' }).Count
} | ConvertTo-Json -Compress
