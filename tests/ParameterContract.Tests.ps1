# Every cmdlet keeps the parameter contract recorded in tests/fixtures/parameters/contract.tsv (recorded from the build
# before the endpoint parameters moved into shared base classes): the same names, types, Mandatory, Position, pipeline
# binding, parameter sets, aliases, completers and validation, whichever class declares them.
BeforeDiscovery {
    $script:Recorded = Get-Content (Join-Path $PSScriptRoot 'fixtures/parameters/contract.tsv')
    $script:Cmdlets = @($Recorded | Select-Object -Skip 1 | ForEach-Object { ($_ -split "`t")[0] } | Sort-Object -Unique)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'ParameterContract.ps1')
    $script:Recorded = Get-Content (Join-Path $PSScriptRoot 'fixtures/parameters/contract.tsv')
}

Describe 'The recorded parameter contract' {
    It 'lists exactly the module''s cmdlets' {
        $recordedCmdlets = @($Recorded | Select-Object -Skip 1 | ForEach-Object { ($_ -split "`t")[0] } | Sort-Object -Unique)
        @(Get-Command -Module FonanaMigration -CommandType Cmdlet | ForEach-Object Name | Sort-Object) | Should -Be $recordedCmdlets
    }

    It '<_> declares every parameter as recorded' -ForEach $Cmdlets {
        $name = $_
        $expected = @($Recorded | Where-Object { ($_ -split "`t")[0] -eq $name })
        @(Get-CmdletParameterContract (Get-Command $name)) | Should -Be $expected
    }
}
