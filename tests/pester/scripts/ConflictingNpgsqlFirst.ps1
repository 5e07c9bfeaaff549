# Run in a fresh pwsh by Isolation.Tests.ps1. Plays another module that ships Npgsql 8.0.5 and its logging
# abstractions 8.0.0: they load into pwsh's default load context FIRST and talk to the server. Then FonanaMigration
# is imported and migrates a database; then the old Npgsql is used again. Writes one JSON object.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PackageDirectory,
    [Parameter(Mandatory)] [string] $ArchivePath
)
$ErrorActionPreference = 'Stop'
# Connections come through the environment so that no password is on a command line.
$sourceKeyValue = $env:FONANA_TEST_SOURCE_KV
$source = $env:FONANA_TEST_SOURCE
$target = $env:FONANA_TEST_TARGET

foreach ($dll in 'microsoft.extensions.dependencyinjection.abstractions/8.0.0/lib/net8.0/Microsoft.Extensions.DependencyInjection.Abstractions.dll',
                 'microsoft.extensions.logging.abstractions/8.0.0/lib/net8.0/Microsoft.Extensions.Logging.Abstractions.dll',
                 'npgsql/8.0.5/lib/net8.0/Npgsql.dll') {
    Add-Type -Path (Join-Path $PackageDirectory $dll)
}

function Get-UserCountWithOldNpgsql([string] $connectionString) {
    $connection = [Npgsql.NpgsqlConnection]::new($connectionString)
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = 'SELECT count(*) FROM users'
        [long] $command.ExecuteScalar()
    }
    finally { $connection.Dispose() }
}

$before = Get-UserCountWithOldNpgsql $sourceKeyValue

Import-Module $ModulePath
$import = Export-FonanaDatabase -Source $source -Path $ArchivePath | Import-FonanaDatabase -Target $target -Confirm:$false
$assert = @(Assert-FonanaRowCount -Target $target -Path $ArchivePath)

$after = Get-UserCountWithOldNpgsql $sourceKeyValue

[pscustomobject]@{
    UsersCountedByOldNpgsqlBefore = $before
    UsersCountedByOldNpgsqlAfter  = $after
    ImportVerified                = $import.Verified
    ImportedRows                  = $import.RowCount
    TablesMatching                = @($assert | Where-Object Match).Count
    TablesCompared                = $assert.Count
    FormattedImport               = ($import | Format-Table | Out-String)
    OldNpgsqlType                 = [Npgsql.NpgsqlConnection].Assembly.GetName().Version.ToString()
    Assemblies                    = @([AppDomain]::CurrentDomain.GetAssemblies() |
        Where-Object { $_.GetName().Name -in 'Npgsql', 'Microsoft.Extensions.Logging.Abstractions', 'Microsoft.Extensions.DependencyInjection.Abstractions', 'FonanaMigration', 'FonanaMigration.Engine', 'System.Diagnostics.DiagnosticSource' } |
        ForEach-Object {
            [pscustomobject]@{
                Name    = $_.GetName().Name
                Version = $_.GetName().Version.ToString()
                Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name
            }
        })
} | ConvertTo-Json -Depth 4 -Compress
