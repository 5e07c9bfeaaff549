<#
.SYNOPSIS
    The production runbook on two throwaway PostgreSQL servers: a "local" one with Fonana's data and an empty
    "production" one whose schema Prisma made. Run through `dotnet pwsh ./build.ps1 Demo`.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Add-Type -Path (Join-Path $root "tests/FonanaMigration.Testing/bin/$Configuration/net8.0/FonanaMigration.Testing.dll")
Import-Module $ModulePath

function Show([string] $Title) { Write-Host "`n== $Title" -ForegroundColor Cyan }

Show 'Starting a throwaway "local" server (with data) and a "production" server (schema only)'
$localServer = [FonanaMigration.Testing.PostgresServer]::Start([FonanaMigration.Testing.PostgresServerOptions]@{ Name = 'demo-local' })
$prodServer = [FonanaMigration.Testing.PostgresServer]::Start([FonanaMigration.Testing.PostgresServerOptions]@{ Name = 'demo-prod'; TimeZone = 'Europe/Moscow' })
$work = Join-Path ([IO.Path]::GetTempPath()) "fonana-demo-$PID"
New-Item -ItemType Directory $work | Out-Null
try {
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($localServer)
    [FonanaMigration.Testing.FonanaDatabase]::Prepare($prodServer)
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateSeeded($localServer, 'fonana')
    [void][FonanaMigration.Testing.FonanaDatabase]::CreateEmpty($prodServer, 'fonana')
    $local = $localServer.ConnectionUri('fonana_user', 'fonana_pass', 'fonana')
    $prod = $prodServer.ConnectionUri('fonana_user', 'fonana_pass', 'fonana')
    Write-Host "local:      postgresql://fonana_user@$($localServer.Host):$($localServer.Port)/fonana (time zone UTC)"
    Write-Host "production: postgresql://fonana_user@$($prodServer.Host):$($prodServer.Port)/fonana (time zone Europe/Moscow)"

    Show 'Test-FonanaSchema -Source $local -Target $prod'
    $differences = @(Test-FonanaSchema -Source $local -Target $prod)
    if ($differences.Count -eq 0) { Write-Host 'The schemas match: nothing blocking.' } else { $differences | Format-Table | Out-Host }
    if (-not (Test-FonanaSchema -Source $local -Target $prod -Quiet)) { throw 'Blocking schema differences.' }

    Show 'Export-FonanaDatabase -Source $local -Path fonana.fnz | Import-FonanaDatabase -Target $prod | Assert-FonanaCounts'
    $archive = Join-Path $work 'fonana.fnz'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Export-FonanaDatabase -Source $local -Path $archive |
        Import-FonanaDatabase -Target $prod -Confirm:$false |
        Assert-FonanaCounts -Checksum -Query @{ creators = 'SELECT count(*) FROM users WHERE "isCreator"' } -Expected @{ creators = 56 } |
        Format-Table | Out-Host
    Write-Host ("Migrated and verified in {0:N2} s." -f $clock.Elapsed.TotalSeconds)

    Show 'Test-FonanaIntegrity -Target $prod -Source $local   (the seed keeps localhost media URLs, as a developer database does)'
    Test-FonanaIntegrity -Target $prod -Source $local | Format-Table | Out-String -Width 200 | Out-Host
    Show "Update-FonanaMediaUrl -Target `$prod -From 'http://localhost:3000' -To 'https://fonana.example'"
    Update-FonanaMediaUrl -Target $prod -From 'http://localhost:3000' -To 'https://fonana.example' -Confirm:$false | Format-Table | Out-Host
    Show 'Test-FonanaIntegrity -Target $prod -MediaBaseUri https://fonana.example -Quiet'
    Test-FonanaIntegrity -Target $prod -MediaBaseUri https://fonana.example -Quiet | Out-Host
}
finally {
    $prodServer.Dispose()
    $localServer.Dispose()
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
