# Source manifest. The build stages it into out/FonanaMigration/ with ModuleVersion taken from Directory.Build.props.
@{
    RootModule             = 'FonanaMigration.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5c0f3f3e-6c1b-4d9e-9d55-2f6f2a8e7c41'
    Author                 = 'FonanaMigration contributors'
    CompanyName            = 'FonanaMigration'
    Copyright              = '(c) FonanaMigration contributors. MIT License.'
    Description            = 'Moves a live PostgreSQL database to another server safely, fast and provably complete: schema check, consistent export, all-or-nothing verified import, and count/checksum verification.'
    PowerShellVersion      = '7.4'
    CompatiblePSEditions   = @('Core')
    FormatsToProcess       = @('FonanaMigration.format.ps1xml')
    CmdletsToExport        = @(
        'Test-FonanaSchema'
        'Get-FonanaSchema'
        'Export-FonanaDatabase'
        'Import-FonanaDatabase'
        'Copy-FonanaDatabase'
        'Assert-FonanaRowCount'
        'Test-FonanaIntegrity'
        'Update-FonanaMediaUrl'
        'Start-FonanaReplication'
        'Get-FonanaReplication'
        'Complete-FonanaReplication'
        'Stop-FonanaReplication'
    )
    AliasesToExport        = @('Assert-FonanaCounts')
    FunctionsToExport      = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('PostgreSQL', 'Postgres', 'Migration', 'Prisma', 'Database', 'Backup', 'Npgsql')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/fonana/FonanaMigration'
            ReleaseNotes = 'First working pipeline: Test-FonanaSchema, Export-FonanaDatabase, Import-FonanaDatabase (verified commit), Assert-FonanaRowCount.'
        }
    }
}
