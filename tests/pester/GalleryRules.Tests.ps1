# PSScriptAnalyzer's PowerShell Gallery rules, checked by reflection on the compiled cmdlets (PSScriptAnalyzer itself
# cannot be installed here, and it reads scripts, not binary modules). One It per rule, named after it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Commands = @(Get-Command -Module FonanaMigration -CommandType Cmdlet)
    $script:Manifest = Import-PowerShellDataFile (Join-Path (Get-Module FonanaMigration).ModuleBase 'FonanaMigration.psd1')
    function Get-CmdletAttribute($Command) {
        $Command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
    }
}

Describe 'PowerShell Gallery rules' {
    It 'PSUseApprovedVerbs: every verb is approved' {
        foreach ($c in $Commands) { (Get-Verb).Verb | Should -Contain $c.Verb }
    }

    It 'PSUseSingularNouns: every noun is singular (the plural Assert-FonanaCounts is an alias, which the rule does not cover)' {
        foreach ($c in $Commands) {
            $lastWord = ($c.Noun -creplace '([a-z])([A-Z])', '$1 $2' -split ' ')[-1]
            $lastWord | Should -Not -Match 's$' -Because "$($c.Name) should name one thing"
        }
    }

    It 'PSUseShouldProcessForStateChangingFunctions: every cmdlet that writes to a server or a file supports -WhatIf and -Confirm' {
        $stateChangingVerbs = 'New', 'Set', 'Remove', 'Start', 'Stop', 'Restart', 'Reset', 'Update', 'Export', 'Import', 'Copy', 'Move'
        foreach ($c in $Commands | Where-Object Verb -in $stateChangingVerbs) {
            (Get-CmdletAttribute $c).SupportsShouldProcess | Should -BeTrue -Because "$($c.Name) changes state"
        }
    }

    It 'PSAvoidUsingPlainTextForPassword and PSUsePSCredentialType: no password or credential parameter is a plain string' {
        foreach ($c in $Commands) {
            foreach ($p in $c.Parameters.Values | Where-Object Name -match 'Password|Passwd|Pwd|Credential|Secret|Token') {
                $p.ParameterType | Should -BeIn ([securestring], [pscredential]) -Because "-$($p.Name) of $($c.Name) carries a secret"
            }
        }
    }

    It 'PSAvoidDefaultValueSwitchParameter: no switch is on by default' {
        foreach ($c in $Commands) {
            $instance = [Activator]::CreateInstance($c.ImplementingType)
            foreach ($p in $c.Parameters.Values | Where-Object { $_.SwitchParameter -and $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }) {
                $instance.($p.Name).IsPresent | Should -BeFalse -Because "-$($p.Name) of $($c.Name)"
            }
        }
    }

    It 'PSUseToExportFieldsInManifest: the manifest lists what it exports, with no wildcards' {
        foreach ($field in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $Manifest.Keys | Should -Contain $field
            $Manifest[$field] | Where-Object { $_ -match '\*' } | Should -BeNullOrEmpty
        }
    }

    It 'PSUseOutputTypeCorrectly (compiled form): every cmdlet declares what it writes' {
        foreach ($c in $Commands) { $c.OutputType | Should -Not -BeNullOrEmpty -Because $c.Name }
    }
}
