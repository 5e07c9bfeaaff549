# TLS as libpq spells it (sslmode, sslrootcert), against a throwaway server with ssl = on and a certificate made here:
# a private CA signs a server certificate for 127.0.0.1 and localhost; a second, unrelated CA plays the wrong root.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Pki = New-TestDirectory
    function Invoke-OpenSsl {
        $output = & openssl @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed: $($output -join "`n")" }
    }
    Push-Location $Pki
    try {
        Invoke-OpenSsl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj '/CN=FonanaMigration test CA'
        Invoke-OpenSsl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1'
        "subjectAltName = IP:127.0.0.1, DNS:localhost`nextendedKeyUsage = serverAuth" | Set-Content server.ext
        Invoke-OpenSsl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext
        Invoke-OpenSsl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.crt -days 2 -subj '/CN=Some other CA'
        # Signed by the right CA but for another host: what verify-full catches and verify-ca does not.
        Invoke-OpenSsl req -newkey rsa:2048 -nodes -keyout elsewhere.key -out elsewhere.csr -subj '/CN=db.example.com'
        "subjectAltName = DNS:db.example.com`nextendedKeyUsage = serverAuth" | Set-Content elsewhere.ext
        Invoke-OpenSsl x509 -req -in elsewhere.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out elsewhere.crt -days 2 -extfile elsewhere.ext
    }
    finally { Pop-Location }
    $script:CaFile = Join-Path $Pki 'ca.crt'
    $script:WrongCaFile = Join-Path $Pki 'other-ca.crt'

    $script:Server = Start-FonanaTestServer -Name tls -SslCertificateFile (Join-Path $Pki 'server.crt') -SslKeyFile (Join-Path $Pki 'server.key')
    $script:Db = New-FonanaTestDatabase -Server $Server -Kind Seeded
    # Counts 1 when the session the module itself opened is encrypted: the server's own view of the connection.
    $script:SessionIsEncrypted = @{ tls = 'SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl' }
    function Assert-Encrypted([string] $Connection) {
        Assert-FonanaRowCount -Target $Connection -Table 'users' -Query $SessionIsEncrypted -Expected @{ tls = 1 } -ConnectTimeout 10
    }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Stop-FonanaTestServer $script:Elsewhere
    Remove-Item -Recurse -Force $Pki -ErrorAction Ignore
}

Describe 'sslmode' {
    It 'require encrypts the session' {
        $r = Assert-Encrypted "$($Db.Uri)?sslmode=require"
        ($r | Where-Object Name -eq 'tls').Actual | Should -Be 1
    }

    It 'verify-full with sslrootcert checks the certificate and the host name <HostName>, and encrypts' -ForEach @(
        @{ HostName = '127.0.0.1' }, @{ HostName = 'localhost' }
    ) {
        $uri = "postgresql://fonana_user:fonana_pass@$($HostName):$($Server.Port)/$($Db.Name)?sslmode=verify-full&sslrootcert=$([uri]::EscapeDataString($CaFile))"
        $r = Assert-Encrypted $uri
        ($r | Where-Object Name -eq 'tls').Actual | Should -Be 1
    }

    It 'verify-full carries a whole migration' {
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $suffix = "?sslmode=verify-full&sslrootcert=$([uri]::EscapeDataString($CaFile))"
        $archive = Join-Path $Pki 'tls.fnz'
        $result = Export-FonanaDatabase -Source "$($Db.Uri)$suffix" -Path $archive | Import-FonanaDatabase -Target "$($target.Uri)$suffix" -Confirm:$false
        $result.Verified | Should -BeTrue
    }

    It 'verify-full refuses a server whose certificate another CA signed, with a clear SecurityError' {
        $uri = "$($Db.Uri)?sslmode=verify-full&sslrootcert=$([uri]::EscapeDataString($WrongCaFile))"
        $err = $null
        try { Get-FonanaSchema $uri -ConnectTimeout 10 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ServerCertificateRejected,FonanaMigration.Commands.GetFonanaSchemaCommand'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match '127\.0\.0\.1'
        $err.Exception.Message | Should -Match ([regex]::Escape($WrongCaFile))
        $err.Exception.Message | Should -Match 'sslrootcert'
        ($err | Out-String) + $err.Exception.ToString() | Should -Not -Match $TestPassword
    }

    It 'verify-full refuses a certificate from the right CA that names another host; verify-ca accepts it' {
        $script:Elsewhere = Start-FonanaTestServer -Name tls-name -SslCertificateFile (Join-Path $Pki 'elsewhere.crt') -SslKeyFile (Join-Path $Pki 'elsewhere.key')
        $db = New-FonanaTestDatabase -Server $Elsewhere -Kind Seeded
        $root = "sslrootcert=$([uri]::EscapeDataString($CaFile))"
        { Get-FonanaSchema "$($db.Uri)?sslmode=verify-full&$root" -ConnectTimeout 10 } | Should -Throw -ErrorId 'ServerCertificateRejected,*'
        (Assert-Encrypted "$($db.Uri)?sslmode=verify-ca&$root" | Where-Object Name -eq 'tls').Actual | Should -Be 1
    }

    It 'verify-full without sslrootcert checks against the system roots, which do not know the test CA' {
        { Get-FonanaSchema "$($Db.Uri)?sslmode=verify-full" -ConnectTimeout 10 } |
            Should -Throw -ErrorId 'ServerCertificateRejected,*'
    }

    It 'names an sslrootcert file that does not exist' {
        $missing = Join-Path $Pki 'missing-ca.crt'
        $err = $null
        try { Get-FonanaSchema "$($Db.Uri)?sslmode=verify-full&sslrootcert=$([uri]::EscapeDataString($missing))" -ConnectTimeout 10 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ConnectionFileNotFound,FonanaMigration.Commands.GetFonanaSchemaCommand'
        $err.TargetObject | Should -Be $missing
    }

    It 'disable leaves the session unencrypted (the control for the checks above)' {
        { Assert-Encrypted "$($Db.Uri)?sslmode=disable" } | Should -Throw -ErrorId 'RowCountMismatch,*'
    }
}
