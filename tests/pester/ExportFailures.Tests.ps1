# Export-FonanaDatabase when the archive cannot be written: the error a runbook sees names the real cause (WriteError,
# ArchiveWriteFailed, the path and the free space), never the source server, and no file is left behind.
BeforeDiscovery {
    # Mounting the small disk needs root (CI runs as root); elsewhere the case is reported as skipped.
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:LocalServer = Start-FonanaTestServer -Name local
    $script:Work = New-TestDirectory
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
}

AfterAll {
    Stop-FonanaTestServer $LocalServer
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Export to a disk that fills up' {
    BeforeAll {
        $script:Db = New-FonanaTestDatabase -Server $LocalServer -Kind Seeded
        # ~8 MB of random hex that Deflate cannot shrink below ~4 MB: more than the 2 MB disk holds.
        Invoke-FonanaTestSql -Server $LocalServer -Database $Db.Name -Sql @'
CREATE TABLE noise (id int PRIMARY KEY, data text NOT NULL);
INSERT INTO noise SELECT i, md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) FROM generate_series(1, 60000) i;
ALTER TABLE noise OWNER TO fonana_user;
'@ | Out-Null
        $script:Disk = Join-Path $Work 'small-disk'
        if ($IsRoot) {
            New-Item -ItemType Directory $Disk | Out-Null
            & mount -t tmpfs -o size=2m tmpfs $Disk
        }
    }

    AfterAll {
        if ($IsRoot) { & umount $Disk }
    }

    It 'fails with ArchiveWriteFailed (WriteError) naming the file and the free space, and leaves no file' -Skip:(-not $IsRoot) {
        $path = Join-Path $Disk 'fonana.fnz'
        $err = { Export-FonanaDatabase -Source $Db.Uri -Path $path } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ArchiveWriteFailed,FonanaMigration.Commands.ExportFonanaDatabaseCommand'
        $err.CategoryInfo.Category | Should -Be 'WriteError'
        $err.Exception.Message | Should -BeLike "*$path*free on the disk*"
        @(Get-ChildItem -Force $Disk) | Should -BeNullOrEmpty
    }
}
