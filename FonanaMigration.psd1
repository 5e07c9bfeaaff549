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
        'New-FonanaMigrationMap'
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
            # The same entries as CHANGELOG.md, shorter; tests/pester/ReleaseDocuments.Tests.ps1 checks that every export is named.
            ReleaseNotes = @'
0.1.0: the first working pipeline. Test-FonanaSchema and Get-FonanaSchema (schema check and inspection),
Export-FonanaDatabase (one consistent snapshot into one archive), Import-FonanaDatabase and Copy-FonanaDatabase
(one transaction, counts and checksums verified before COMMIT), Assert-FonanaRowCount (alias Assert-FonanaCounts;
counts, named queries and checksums), Test-FonanaIntegrity (orphans, timestamps, media, mojibake) and
Update-FonanaMediaUrl (media URLs to the new host).
Unreleased: Start-FonanaReplication, Get-FonanaReplication, Complete-FonanaReplication, Stop-FonanaReplication.
Unreleased: New-FonanaMigrationMap drafts a migration map for a drifted source; Import-FonanaDatabase -Map and
Copy-FonanaDatabase -Map move the rows through it, verified against the mapped source; Test-FonanaSchema explains drift.
See CHANGELOG.md.
'@
        }
    }
}
