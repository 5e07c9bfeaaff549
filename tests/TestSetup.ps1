# Dot-sourced by every Pester file: imports the module under test (the staged build) and the throwaway-server fixture.
$ErrorActionPreference = 'Stop'
$modulePath = if ($env:FONANA_MODULE_PATH) { $env:FONANA_MODULE_PATH } else { Join-Path $PSScriptRoot '../out/FonanaMigration/FonanaMigration.psd1' }
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
