# Dependency isolation: the module's Npgsql, logging abstractions and engine live in their own AssemblyLoadContext,
# so the module works next to another module that ships different versions of the same assemblies.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:ModuleBase = (Get-Module FonanaMigration).ModuleBase
    $script:ManifestPath = Join-Path $ModuleBase 'FonanaMigration.psd1'
    $script:Isolated = 'FonanaMigration.Engine', 'Npgsql', 'Microsoft.Extensions.Logging.Abstractions',
        'Microsoft.Extensions.DependencyInjection.Abstractions', 'System.Diagnostics.DiagnosticSource'
    $script:Server = Start-FonanaTestServer -Name isolation
    $script:Work = New-TestDirectory
    $script:Packages = Get-NuGetPackageDirectory
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
    Remove-Item Env:FONANA_TEST_SOURCE, Env:FONANA_TEST_SOURCE_KV, Env:FONANA_TEST_TARGET -ErrorAction Ignore
}

Describe 'The staged layout' {
    It 'keeps the isolated assemblies in Dependencies/, where default probing never looks' {
        @(Get-ChildItem (Join-Path $ModuleBase 'Dependencies') -Filter *.dll).BaseName | Sort-Object |
            Should -Be ($Isolated | Sort-Object)
        @(Get-ChildItem $ModuleBase -Filter *.dll).Name | Should -Be @('FonanaMigration.dll')
    }

    It 'never names an isolated assembly in the manifest' {
        $text = Get-Content $ManifestPath -Raw
        foreach ($name in $Isolated) { $text | Should -Not -Match ([regex]::Escape("$name.dll")) }
        (Import-PowerShellDataFile $ManifestPath).Keys | Should -Not -Contain 'NestedModules'
        (Import-PowerShellDataFile $ManifestPath).Keys | Should -Not -Contain 'RequiredAssemblies'
    }

    It 'has a cmdlet assembly that references the engine but never Npgsql or Microsoft.Extensions directly' {
        $references = (Get-Command Export-FonanaDatabase).ImplementingType.Assembly.GetReferencedAssemblies().Name
        $references | Should -Contain 'FonanaMigration.Engine'
        $references | Where-Object { $_ -match '^(Npgsql|Microsoft\.Extensions\.)' } | Should -BeNullOrEmpty
    }
}

Describe 'The cmdlet surface' {
    It 'exposes no Npgsql or Microsoft.Extensions type in any parameter or declared output of <_>' -ForEach @(
        (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../FonanaMigration.psd1')).CmdletsToExport
    ) {
        $command = Get-Command $_
        $roots = @($command.Parameters.Values.ParameterType) + @($command.OutputType.Type | Where-Object { $_ })
        # Walk each type's public properties, element and generic argument types: what a user can reach from an object.
        $seen = [System.Collections.Generic.HashSet[type]]::new()
        $queue = [System.Collections.Generic.Queue[type]]::new()
        foreach ($t in $roots) { $queue.Enqueue($t) }
        $leaks = while ($queue.Count) {
            $t = $queue.Dequeue()
            if (-not $seen.Add($t)) { continue }
            if ($t.Assembly.GetName().Name -match '^(Npgsql|Microsoft\.Extensions\.)') { $t.FullName; continue }
            if ($t.Assembly.GetName().Name -ne 'FonanaMigration.Engine' -and -not $t.IsGenericType -and -not $t.HasElementType) { continue }
            if ($t.HasElementType) { $queue.Enqueue($t.GetElementType()) }
            foreach ($g in $t.GenericTypeArguments) { $queue.Enqueue($g) }
            foreach ($p in $t.GetProperties()) { $queue.Enqueue($p.PropertyType) }
        }
        $leaks | Should -BeNullOrEmpty
        $seen.Count | Should -BeGreaterThan 3 -Because 'the walk must actually reach the engine types'
    }

    It 'puts the engine in the module''s own load context and keeps type literals, conversion and format views working' {
        $type = (Get-Command Export-FonanaDatabase).Parameters['Source'].ParameterType
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($type.Assembly).Name | Should -Be 'FonanaMigration'
        [FonanaMigration.Engine.Connections.DatabaseEndpoint] | Should -Be $type
        $endpoint = [FonanaMigration.Engine.Connections.DatabaseEndpoint] 'postgresql://someone:hidden@localhost/db'
        $endpoint.DisplayName | Should -Be 'postgresql://someone@localhost:5432/db'
        (Get-FormatData FonanaMigration.Engine.Transfer.TargetLoadResult).FormatViewDefinition.Name | Should -Be 'TargetLoadResult'
    }
}

Describe 'Next to another module''s Npgsql' {
    It 'migrates a database in a fresh pwsh where Npgsql 8.0.5 was loaded first, and both versions keep working' {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $env:FONANA_TEST_SOURCE = $source.Uri
        $env:FONANA_TEST_SOURCE_KV = $source.KeyValue
        $env:FONANA_TEST_TARGET = $target.Uri
        $json = Invoke-FreshPwsh (Join-Path $PSScriptRoot 'scripts/ConflictingNpgsqlFirst.ps1') -ArgumentList @(
            '-ModulePath', $ManifestPath, '-PackageDirectory', $Packages, '-ArchivePath', (Join-Path $Work 'conflict.fnz'))
        $r = ($json | Select-Object -Last 1) | ConvertFrom-Json

        $r.UsersCountedByOldNpgsqlBefore | Should -Be $ExpectedCounts['users']
        $r.UsersCountedByOldNpgsqlAfter | Should -Be $ExpectedCounts['users']
        $r.ImportVerified | Should -BeTrue
        $r.TablesMatching | Should -Be $r.TablesCompared
        $r.TablesCompared | Should -Be $ExpectedCounts.Count
        $r.FormattedImport | Should -Match 'Verified\s+Cleaned' -Because 'the TargetLoadResult table view applies to the privately loaded type'

        $npgsql = @($r.Assemblies | Where-Object Name -eq 'Npgsql')
        $npgsql.Count | Should -Be 2
        ($npgsql | Where-Object Version -like '8.0.5*').Context | Should -Be 'Default'
        ($npgsql | Where-Object Version -like '10.*').Context | Should -Be 'FonanaMigration'
        $logging = @($r.Assemblies | Where-Object Name -eq 'Microsoft.Extensions.Logging.Abstractions')
        ($logging | Where-Object Version -like '8.*').Context | Should -Be 'Default'
        ($logging | Where-Object Version -like '10.*').Context | Should -Be 'FonanaMigration'
        ($r.Assemblies | Where-Object Name -eq 'FonanaMigration').Context | Should -Be 'Default'
        ($r.Assemblies | Where-Object Name -eq 'FonanaMigration.Engine').Context | Should -Be 'FonanaMigration'
    }

    It 'survives Remove-Module and a second Import-Module in the same session' {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $env:FONANA_TEST_SOURCE = $source.Uri
        $json = Invoke-FreshPwsh (Join-Path $PSScriptRoot 'scripts/RemoveAndReimport.ps1') -ArgumentList @(
            '-ModulePath', $ManifestPath, '-ArchivePath', (Join-Path $Work 'reimport.fnz'))
        $r = ($json | Select-Object -Last 1) | ConvertFrom-Json

        $r.FirstRows | Should -BeGreaterThan 0
        $r.SecondRows | Should -Be $r.FirstRows
        $r.CommandsGoneOnRemove | Should -BeTrue
        $r.TypeLiteralOnRemove | Should -BeFalse -Because 'Remove-Module takes the type names back'
        $r.TypeLiteralAfter | Should -Be 'FonanaMigration.Engine.Connections.DatabaseEndpoint'
        $r.EngineCopies | Should -Be 1
        $r.NpgsqlCopies | Should -Be 1
    }
}
