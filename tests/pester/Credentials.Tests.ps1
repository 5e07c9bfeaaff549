# Where a password can come from, as libpq users expect it: a PSCredential, the connection itself, PGPASSWORD, a password
# file (PGPASSFILE or ~/.pgpass); and the warning before a password would cross a network unencrypted.
# The throwaway server uses scram-sha-256 for TCP logins, so a missing or wrong password really is refused.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name credentials
    $script:Db = New-FonanaTestDatabase -Server $Server -Kind Seeded
    $script:Work = New-TestDirectory
    # The same database without any password in the connection.
    $script:NoPassword = "postgresql://fonana_user@127.0.0.1:$($Server.Port)/$($Db.Name)"
    $script:GoodCredential = New-TestCredential 'fonana_user' $TestPassword
    $script:SavedEnvironment = @{}
    foreach ($name in 'PGPASSWORD', 'PGPASSFILE', 'HOME', 'APPDATA', 'PGUSER') { $SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name) }
    function Restore-Environment {
        foreach ($entry in $SavedEnvironment.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    }
    function Get-TableCount([string] $Connection, [pscredential] $Credential) {
        $parameters = @{ Connection = $Connection; ConnectTimeout = 5 }
        if ($Credential) { $parameters.Credential = $Credential }
        (Get-FonanaSchema @parameters).Tables.Count
    }
    $script:Tables = Get-TableCount $Db.Uri
    function New-PasswordFile([string] $Path, [string] $Password = $TestPassword) {
        # hostname:port:database:username:password, as libpq reads it; readable by the owner only.
        "# written by Credentials.Tests.ps1`n127.0.0.1:$($Server.Port):*:fonana_user:$Password" | Set-Content -LiteralPath $Path
        if (-not $IsWindows) { chmod 600 $Path }
    }
}

AfterAll {
    Restore-Environment
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Credential parameters' {
    It '<Name> takes a PSCredential for every connection it has' -ForEach @(
        @{ Name = 'Test-FonanaSchema'; Parameters = 'SourceCredential', 'TargetCredential' }
        @{ Name = 'Get-FonanaSchema'; Parameters = @('Credential') }
        @{ Name = 'Export-FonanaDatabase'; Parameters = @('SourceCredential') }
        @{ Name = 'Import-FonanaDatabase'; Parameters = @('TargetCredential') }
        @{ Name = 'Assert-FonanaRowCount'; Parameters = 'SourceCredential', 'TargetCredential' }
    ) {
        foreach ($p in $Parameters) {
            (Get-Command $Name).Parameters[$p].ParameterType | Should -Be ([pscredential])
        }
    }

    It 'has no plain-text password parameter anywhere' {
        foreach ($command in Get-Command -Module FonanaMigration -CommandType Cmdlet) {
            foreach ($p in $command.Parameters.Values) {
                if ($p.Name -match 'Password|Secret') { $p.ParameterType | Should -BeIn ([securestring], [pscredential]) }
            }
        }
    }

    It 'supplies the password the connection lacks' {
        Get-TableCount $NoPassword $GoodCredential | Should -Be $Tables
    }

    It 'replaces a wrong user and password in the connection' {
        $wrong = "postgresql://nobody:wrong-pass-in-uri@127.0.0.1:$($Server.Port)/$($Db.Name)"
        Get-TableCount $wrong $GoodCredential | Should -Be $Tables
    }

    It 'works the same on both sides of a migration, and the password shows up nowhere' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $targetNoPassword = "postgresql://fonana_user@127.0.0.1:$($Server.Port)/$($target.Name)"
        $archive = Join-Path $Work 'credential.fnz'
        $streams = & {
            Test-FonanaSchema -Source $NoPassword -SourceCredential $GoodCredential -Target $targetNoPassword -TargetCredential $GoodCredential -Verbose -Debug
            Export-FonanaDatabase -Source $NoPassword -SourceCredential $GoodCredential -Path $archive -Verbose -Debug |
                Import-FonanaDatabase -Target $targetNoPassword -TargetCredential $GoodCredential -Confirm:$false -Verbose -Debug |
                Assert-FonanaRowCount -Verbose -Debug
        } *>&1
        ($streams | Where-Object { $_ -is [FonanaMigration.Engine.Verification.RowCountComparison] } | Where-Object { -not $_.Match }) | Should -BeNullOrEmpty
        ($streams | ForEach-Object { $_ | Format-List * -Force | Out-String }) -join "`n" | Should -Not -Match $TestPassword
    }

    It 'refuses a wrong password with AuthenticationFailed, without echoing it' {
        $bad = New-TestCredential 'fonana_user' 'not-the-password-42'
        $err = $null
        try { Get-TableCount $Db.Uri $bad } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,FonanaMigration.Commands.GetFonanaSchemaCommand'
        ($err | Out-String) + $err.Exception.ToString() | Should -Not -Match 'not-the-password-42'
    }
}

Describe 'libpq password sources' {
    AfterEach { Restore-Environment }

    It 'says where it looked when no password is found' {
        $env:PGPASSWORD = $null
        $env:PGPASSFILE = $null
        $env:HOME = New-Item -ItemType Directory -Force (Join-Path $Work 'empty-home')
        $env:APPDATA = $env:HOME
        $err = $null
        try { Get-TableCount $NoPassword } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,FonanaMigration.Commands.GetFonanaSchemaCommand'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'PGPASSWORD'
        $err.Exception.Message | Should -Match 'pgpass'
    }

    It 'names a password file that PGPASSFILE points to but that does not exist' {
        $env:PGPASSWORD = $null
        $env:PGPASSFILE = Join-Path $Work 'no-such-pgpass'
        $err = $null
        try { Get-TableCount $NoPassword } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ConnectionFileNotFound,FonanaMigration.Commands.GetFonanaSchemaCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be $env:PGPASSFILE
    }

    It 'uses PGPASSWORD' {
        $env:PGPASSWORD = $TestPassword
        Get-TableCount $NoPassword | Should -Be $Tables
    }

    It 'uses the password file PGPASSFILE names' {
        $file = Join-Path $Work 'pgpass-named'
        New-PasswordFile $file
        $env:PGPASSWORD = $null
        $env:PGPASSFILE = $file
        Get-TableCount $NoPassword | Should -Be $Tables
    }

    It 'uses ~/.pgpass (on Windows %APPDATA%\postgresql\pgpass.conf) when nothing else gives a password' {
        $home_ = Join-Path $Work 'home'
        if ($IsWindows) {
            New-Item -ItemType Directory -Force (Join-Path $home_ 'postgresql') | Out-Null
            New-PasswordFile (Join-Path $home_ 'postgresql/pgpass.conf')
            $env:APPDATA = $home_
        }
        else {
            New-Item -ItemType Directory -Force $home_ | Out-Null
            New-PasswordFile (Join-Path $home_ '.pgpass')
            $env:HOME = $home_
        }
        $env:PGPASSWORD = $null
        $env:PGPASSFILE = $null
        Get-TableCount $NoPassword | Should -Be $Tables
    }

    It 'prefers, like libpq, the connection''s password over PGPASSWORD, and PGPASSWORD over the password file' {
        $file = Join-Path $Work 'pgpass-wrong'
        New-PasswordFile $file -Password 'wrong-from-file'
        $env:PGPASSFILE = $file
        $env:PGPASSWORD = $TestPassword
        Get-TableCount $NoPassword | Should -Be $Tables -Because 'PGPASSWORD comes before the file'
        $env:PGPASSWORD = 'wrong-from-environment'
        Get-TableCount $Db.Uri | Should -Be $Tables -Because 'a password in the connection comes first'
        { Get-TableCount $NoPassword } | Should -Throw -ErrorId 'AuthenticationFailed,*'
    }

    It 'takes the user from PGUSER when the connection names none' {
        $env:PGUSER = 'fonana_user'
        $env:PGPASSWORD = $TestPassword
        Get-TableCount "postgresql://127.0.0.1:$($Server.Port)/$($Db.Name)" | Should -Be $Tables
    }
}

Describe 'The plaintext warning' {
    # Nothing here connects anywhere but 127.0.0.1: remote hosts are only named under -WhatIf, which stops before connecting.
    It 'warns before a remote connection that does not require TLS, and -WhatIf shows it without connecting' {
        $warnings = @()
        Export-FonanaDatabase -Source 'postgresql://fonana_user:hidden-pass@db.example.com:5432/fonana' -Path (Join-Path $Work 'never.fnz') -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'db\.example\.com'
        $warnings[0].Message | Should -Match 'sslmode=prefer'
        $warnings[0].Message | Should -Not -Match 'hidden-pass'
        Test-Path (Join-Path $Work 'never.fnz') | Should -BeFalse
    }

    It 'warns once per endpoint, however many records the pipeline brings' {
        $warnings = @()
        [pscustomobject]@{ Path = Join-Path $Work 'a.fnz' }, [pscustomobject]@{ Path = Join-Path $Work 'b.fnz' } |
            Import-FonanaDatabase -Target 'postgresql://u@db.example.com/fonana?sslmode=allow' -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'sslmode=allow'
    }

    It 'warns when TLS is required but the certificate is not verified (sslmode=require)' {
        $warnings = @()
        Export-FonanaDatabase -Source 'postgresql://u@db.example.com/fonana?sslmode=require' -Path (Join-Path $Work 'never.fnz') -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'not verified'
    }

    It 'does not warn when the certificate is verified' {
        $warnings = @()
        Export-FonanaDatabase -Source 'postgresql://u@db.example.com/fonana?sslmode=verify-full&sslrootcert=/ca.crt' -Path (Join-Path $Work 'never.fnz') -WhatIf -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
    }

    It 'does not warn for a real connection to <HostName>, a loopback name' -ForEach @(
        @{ HostName = '127.0.0.1' }, @{ HostName = 'localhost' }
    ) {
        $warnings = @()
        $archive = Join-Path $Work "loopback-$HostName.fnz"
        $info = Export-FonanaDatabase -Source "postgresql://fonana_user@$($HostName):$($Server.Port)/$($Db.Name)?sslmode=disable" -SourceCredential $GoodCredential -Path $archive -WarningVariable warnings
        $info.RowCount | Should -BeGreaterThan 0
        $warnings | Should -BeNullOrEmpty
    }
}
