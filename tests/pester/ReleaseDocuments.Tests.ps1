# What a user reads before installing: the licence the manifest points at, and release notes that name every cmdlet.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:RepoRoot = Join-Path $PSScriptRoot '../..'
    $script:ModuleBase = (Get-Module FonanaMigration).ModuleBase
    $script:Manifest = Import-PowerShellDataFile (Join-Path $ModuleBase 'FonanaMigration.psd1')
    $script:Exported = @($Manifest.CmdletsToExport) + @($Manifest.AliasesToExport)
    $script:Changelog = Get-Content (Join-Path $RepoRoot 'CHANGELOG.md') -Raw -ErrorAction Ignore
}

Describe 'The licence' {
    It 'is the licence that the manifest''s LicenseUri names, at the repository root and in the staged module' {
        $Manifest.PrivateData.PSData.LicenseUri | Should -Be 'https://opensource.org/licenses/MIT'
        foreach ($path in (Join-Path $RepoRoot 'LICENSE'), (Join-Path $ModuleBase 'LICENSE')) {
            $path | Should -Exist
            $text = Get-Content $path -Raw
            $text | Should -Match '^MIT License'
            $text | Should -Match 'Permission is hereby granted, free of charge'
            $text | Should -Match 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND'
        }
    }

    It 'names the same holder as the manifest''s Copyright' {
        $Manifest.Copyright | Should -Match 'FonanaMigration contributors'
        Get-Content (Join-Path $RepoRoot 'LICENSE') -Raw | Should -Match 'Copyright \(c\) \d{4} FonanaMigration contributors'
    }
}

Describe 'The release notes' {
    It 'in the manifest name every exported cmdlet and alias' {
        foreach ($name in $Exported) {
            $Manifest.PrivateData.PSData.ReleaseNotes | Should -Match "\b$([regex]::Escape($name))\b" -Because "$name is exported"
        }
    }

    It 'in CHANGELOG.md name every exported cmdlet and alias, under the manifest''s version' {
        $Changelog | Should -Not -BeNullOrEmpty
        $Changelog | Should -Match "(?m)^## \[$([regex]::Escape($Manifest.ModuleVersion))\]"
        foreach ($name in $Exported) {
            $Changelog | Should -Match "\b$([regex]::Escape($name))\b" -Because "$name is exported"
        }
    }
}
