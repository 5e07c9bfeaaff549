# The module as a user installs it: the .nupkg that `build.ps1 Package` makes (tools/Publish-FonanaPackage.ps1), published
# to a folder repository, installed with Install-PSResource and saved with Save-PSResource, then imported by name and used.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name package
    $script:Work = New-TestDirectory
    [xml] $props = Get-Content (Join-Path $PSScriptRoot '../../Directory.Build.props') -Raw
    $script:Version = $props.Project.PropertyGroup.FonanaVersion
    $staged = (Get-Module FonanaMigration).ModuleBase

    # The children get a private HOME, with the XDG folders inside it, so that repository registrations, NuGet's user
    # config and the CurrentUser module folder never touch the real profile. The folders must exist: .NET treats a
    # missing one as no folder at all, and the tools then write relative to the current directory.
    $privateHome = Join-Path $Work 'home'
    $saved = @{}
    $private = @{ HOME = $privateHome; XDG_DATA_HOME = Join-Path $privateHome '.local/share'; XDG_CONFIG_HOME = Join-Path $privateHome '.config' }
    foreach ($name in $private.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        New-Item -ItemType Directory -Force $private[$name] | Out-Null
        [Environment]::SetEnvironmentVariable($name, $private[$name])
    }
    try {
        $json = Invoke-FreshPwsh (Join-Path $PSScriptRoot 'scripts/InstallFromLocalRepository.ps1') -ArgumentList @(
            '-StagedModule', $staged, '-FeedPath', (Join-Path $Work 'feed'), '-SavePath', (Join-Path $Work 'saved'))
        $script:Installed = ($json | Select-Object -Last 1) | ConvertFrom-Json
        $env:FONANA_TEST_SOURCE = (New-FonanaTestDatabase -Server $Server -Kind Seeded).Uri
        $json = Invoke-FreshPwsh (Join-Path $PSScriptRoot 'scripts/UseInstalledModule.ps1')
        $script:Used = ($json | Select-Object -Last 1) | ConvertFrom-Json
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item Env:FONANA_TEST_SOURCE -ErrorAction Ignore
    }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'The package' {
    It 'is named for the version in Directory.Build.props' {
        $Installed.Package | Should -Be "FonanaMigration.$Version.nupkg"
    }

    It 'carries the module root, the licence, the Dependencies folder and the compiled help' {
        foreach ($entry in 'FonanaMigration.psd1', 'FonanaMigration.dll', 'FonanaMigration.format.ps1xml', 'LICENSE', 'en-US/FonanaMigration.dll-Help.xml',
            'Dependencies/FonanaMigration.Engine.dll', 'Dependencies/Npgsql.dll', 'Dependencies/Microsoft.Extensions.Logging.Abstractions.dll') {
            $Installed.PackageEntries | Should -Contain $entry
        }
        $Installed.PackageEntries | Where-Object { $_ -like '*.dll' -and $_ -notlike 'Dependencies/*' } | Should -Be 'FonanaMigration.dll'
    }

    It 'installs with Install-PSResource from a local repository' {
        $Installed.InstalledVersion | Should -Be $Version
        $Installed.InstalledPath | Should -BeLike "$Work*"
    }

    It 'saves with Save-PSResource into a folder of one''s choosing' {
        $Installed.SavedManifest | Should -BeLike ("*saved*FonanaMigration*$Version*FonanaMigration.psd1")
    }
}

Describe 'The installed module' {
    It 'imports by name, passes Test-ModuleManifest, and has its help' {
        $Used.ModuleBase | Should -BeLike "$Work*"
        $Used.Version | Should -Be $Version
        $Used.ManifestIsValid | Should -BeTrue
        $Used.HelpSynopsis | Should -Match 'consistent snapshot'
    }

    It 'reads a real database, with its engine loaded from the installed Dependencies folder into its own load context' {
        $Used.Tables | Should -BeGreaterThan 10
        $Used.EngineContext | Should -Be 'FonanaMigration'
        $Used.EngineLocation | Should -BeLike "$($Used.ModuleBase)*Dependencies*FonanaMigration.Engine.dll"
    }
}
