# Pester helpers: throwaway PostgreSQL servers holding the Fonana fixture databases.
# The work is done by FonanaMigration.Testing.dll (no Npgsql inside, so it loads beside the module's own);
# this file only builds and loads it and gives it PowerShell-shaped commands.

Set-StrictMode -Version Latest

$script:ProjectDirectory = Join-Path $PSScriptRoot '../FonanaMigration.Testing'
$script:ProjectFile = Join-Path $script:ProjectDirectory 'FonanaMigration.Testing.csproj'
$script:AssemblyPath = Join-Path $script:ProjectDirectory 'bin/Release/net8.0/FonanaMigration.Testing.dll'

function Import-FonanaTestingAssembly {
    if ('FonanaMigration.Testing.PostgresServer' -as [type]) {
        return
    }
    # Build when the DLL is missing or older than its sources, so a fresh checkout and an edit both just work.
    $stale = -not (Test-Path -LiteralPath $script:AssemblyPath)
    if (-not $stale) {
        $built = (Get-Item -LiteralPath $script:AssemblyPath).LastWriteTimeUtc
        $stale = [bool](Get-ChildItem -LiteralPath $script:ProjectDirectory -Filter '*.cs' |
            Where-Object { $_.LastWriteTimeUtc -gt $built })
    }
    if ($stale) {
        $output = & dotnet build $script:ProjectFile -c Release -nologo -v quiet 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "Building $script:ProjectFile failed:`n$($output -join "`n")"
        }
    }
    Add-Type -LiteralPath $script:AssemblyPath
}

function Start-FonanaTestServer {
    <#
    .SYNOPSIS
    Starts a private PostgreSQL server on 127.0.0.1 with the fonana_seeded and fonana_empty templates ready.
    .OUTPUTS
    FonanaMigration.Testing.PostgresServer; pass it to Stop-FonanaTestServer (in AfterAll).
    #>
    [CmdletBinding()]
    param(
        [string] $TimeZone = 'UTC',
        [string] $Name = 'pester',
        # PEM certificate and key: the server then accepts TLS (ssl = on).
        [string] $SslCertificateFile,
        [string] $SslKeyFile,
        # Further postgresql.conf settings, e.g. @{ wal_level = 'logical' } for online-migration tests.
        [hashtable] $Setting = @{}
    )
    Import-FonanaTestingAssembly
    $options = [FonanaMigration.Testing.PostgresServerOptions]::new()
    $options.TimeZone = $TimeZone
    $options.Name = $Name
    if ($SslCertificateFile) { $options.SslCertificateFile = $SslCertificateFile }
    if ($SslKeyFile) { $options.SslKeyFile = $SslKeyFile }
    foreach ($entry in $Setting.GetEnumerator()) { $options.Settings[[string]$entry.Key] = [string]$entry.Value }
    $server = [FonanaMigration.Testing.PostgresServer]::Start($options)
    try {
        [FonanaMigration.Testing.FonanaDatabase]::Prepare($server)
    }
    catch {
        $server.Dispose()
        throw
    }
    $server
}

function Stop-FonanaTestServer {
    <# .SYNOPSIS Stops the server and deletes its files. Safe to call twice or with $null. #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)]
        [AllowNull()]
        [object] $Server
    )
    process {
        if ($null -ne $Server) {
            $Server.Dispose()
        }
    }
}

function New-FonanaTestDatabase {
    <#
    .SYNOPSIS
    Copies a fresh database from a template: Seeded (schema and data) or Empty (schema and _prisma_migrations only).
    Owned by fonana_user, whose password is fonana_pass.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [object] $Server,
        [string] $Name = ('test_' + [guid]::NewGuid().ToString('N').Substring(0, 12)),
        # Drifted: seeded, then changed as `prisma db push` changes it; Migrated: its target (tests/fixtures/fonana/drift).
        [ValidateSet('Seeded', 'Empty', 'Drifted', 'Migrated')]
        [string] $Kind = 'Seeded'
    )
    switch ($Kind) {
        'Seeded' { $null = [FonanaMigration.Testing.FonanaDatabase]::CreateSeeded($Server, $Name) }
        'Empty' { $null = [FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($Server, $Name) }
        'Drifted' { $null = [FonanaMigration.Testing.DriftedFonanaDatabase]::CreateSource($Server, $Name) }
        'Migrated' { $null = [FonanaMigration.Testing.DriftedFonanaDatabase]::CreateTarget($Server, $Name) }
    }
    $user = [FonanaMigration.Testing.FonanaDatabase]::DefaultRole
    $password = [FonanaMigration.Testing.FonanaDatabase]::DefaultPassword
    [pscustomobject]@{
        Name     = $Name
        Kind     = $Kind
        Uri      = $Server.ConnectionUri($user, $password, $Name)
        KeyValue = $Server.KeyValueConnectionString($user, $password, $Name)
    }
}

function Invoke-FonanaTestSql {
    <#
    .SYNOPSIS
    Runs SQL as the superuser and returns psql's unaligned text: one value per line, columns joined by '|'.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [object] $Server,
        [Parameter(Mandatory)]
        [string] $Database,
        [Parameter(Mandatory)]
        [string] $Sql
    )
    $Server.QueryScalar($Database, $Sql)
}

Export-ModuleMember -Function Start-FonanaTestServer, Stop-FonanaTestServer, New-FonanaTestDatabase, Invoke-FonanaTestSql
