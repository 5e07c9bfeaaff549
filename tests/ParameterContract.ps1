# Dot-sourced by ParameterContract.Tests.ps1. A cmdlet's parameter contract as a script relies on it, one line per
# parameter and parameter set: type, Mandatory, Position, pipeline binding, help message, aliases, completer and
# validation. A recorded contract (tests/fixtures/parameters/contract.tsv) is compared with the built module's.
#
# To record the contract of the current build (only when a parameter is meant to change, and say so in the commit):
#   . ./tests/ParameterContract.ps1; Import-Module ./out/FonanaMigration/FonanaMigration.psd1
#   Get-ParameterContract -Module FonanaMigration | Set-Content tests/fixtures/parameters/contract.tsv

$script:ContractColumns = 'Cmdlet', 'Parameter', 'Set', 'DefaultSet', 'Type', 'Mandatory', 'Position', 'ValueFromPipeline',
    'ValueFromPipelineByPropertyName', 'ValueFromRemainingArguments', 'HelpMessage', 'Aliases', 'Completer', 'Validation'

function Get-CmdletParameterContract([System.Management.Automation.CommandInfo] $Command) {
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    # Left out of Validation: what has its own column, what the compiler adds for nullable annotations, and
    # DatabaseEndpointArgument, a conversion whose effect ConnectionSafety.Tests.ps1 proves for every endpoint parameter.
    $described = 'ParameterAttribute', 'AliasAttribute', 'ArgumentCompleterAttribute', 'DatabaseEndpointArgumentAttribute'
    foreach ($p in $Command.Parameters.Values | Where-Object Name -NotIn $common | Sort-Object Name) {
        $validation = @($p.Attributes | Where-Object { $_.GetType().Name -notin $described -and $_.GetType().Namespace -ne 'System.Runtime.CompilerServices' } | ForEach-Object {
                if ($_ -is [System.Management.Automation.ValidateSetAttribute]) { "ValidateSet($($_.ValidValues -join ','))" }
                elseif ($_ -is [System.Management.Automation.ValidateRangeAttribute]) { "ValidateRange($($_.MinRange),$($_.MaxRange))" }
                else { $_.GetType().Name -replace 'Attribute$' }
            } | Sort-Object) -join ','
        $completer = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] } | ForEach-Object { $_.Type.Name }) -join ','
        foreach ($set in $p.ParameterSets.GetEnumerator() | Sort-Object Key) {
            $m = $set.Value
            @($Command.Name, $p.Name, $set.Key, ($set.Key -eq $Command.DefaultParameterSet), $p.ParameterType.Name, $m.IsMandatory, $m.Position,
                $m.ValueFromPipeline, $m.ValueFromPipelineByPropertyName, $m.ValueFromRemainingArguments, $m.HelpMessage,
                (@($p.Aliases | Sort-Object) -join ','), $completer, $validation) -join "`t"
        }
    }
}

function Get-ParameterContract([string] $Module) {
    $script:ContractColumns -join "`t"
    foreach ($c in Get-Command -Module $Module -CommandType Cmdlet | Sort-Object Name) { Get-CmdletParameterContract $c }
}
