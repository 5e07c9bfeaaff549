# Tab completion as a user meets it, through TabExpansion2: table names from the archive or server on the same command
# line, and archive paths.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name completion
    $script:Db = New-FonanaTestDatabase -Server $Server -Kind Seeded
    # A table that needs quoting, and a second "users" in another schema, which makes "users" ambiguous.
    Invoke-FonanaTestSql -Server $Server -Database $Db.Name -Sql @'
CREATE TABLE public."odd name" (id int PRIMARY KEY);
CREATE SCHEMA audit; CREATE TABLE audit.users (id int PRIMARY KEY);
GRANT USAGE ON SCHEMA audit TO fonana_user; GRANT SELECT ON ALL TABLES IN SCHEMA audit TO fonana_user;
'@ | Out-Null
    $script:Work = New-TestDirectory
    $script:Archive = Join-Path $Work 'content.fnz'
    Export-FonanaDatabase -Source $Db.Uri -Path $Archive -Table posts, comments, likes | Out-Null
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe '-Table and -ExcludeTable' {
    It 'complete from the archive given with -Path, offering only the tables it holds' {
        $matches_ = Complete "Import-FonanaDatabase -Path '$Archive' -Target x -Table "
        @($matches_.CompletionText) | Should -Be @('comments', 'likes', 'posts')
    }

    It 'read a relative -Path from the current location' {
        Push-Location $Work
        try { @((Complete "Import-FonanaDatabase -Path ./content.fnz -Target x -Table p").CompletionText) | Should -Be @('posts') }
        finally { Pop-Location }
    }

    It 'complete from the live -Source, matching the typed prefix without regard to case' {
        $matches_ = Complete "Export-FonanaDatabase -Source '$($Db.Uri)' -Path x.fnz -ExcludeTable SE"
        @($matches_.CompletionText) | Should -Be @('sessions')
    }

    It 'offer schema.table where two schemas share a name, and the bare name elsewhere' {
        $matches_ = Complete "Export-FonanaDatabase -Source '$($Db.Uri)' -Path x.fnz -Table u"
        @($matches_.CompletionText) | Should -Be @('audit.users', 'public.users')
        @((Complete "Export-FonanaDatabase -Source '$($Db.Uri)' -Path x.fnz -Table audit.").CompletionText) | Should -Be @('audit.users')
    }

    It 'quote a name that needs it' {
        $matches_ = Complete "Export-FonanaDatabase -Source '$($Db.Uri)' -Path x.fnz -Table od"
        $matches_[0].CompletionText | Should -Be "'odd name'"
        $matches_[0].ListItemText | Should -Be 'odd name'
    }

    It 'use -SourceCredential when the connection has no password' {
        $script:credential = New-TestCredential 'fonana_user' $TestPassword
        $uri = "postgresql://fonana_user@127.0.0.1:$($Server.Port)/$($Db.Name)"
        $line = "Export-FonanaDatabase -Source '$uri' -SourceCredential `$credential -Path x.fnz -Table noti"
        @((Complete $line).CompletionText) | Should -Be @('notifications')
    }

    It 'complete from the -Target of Assert-FonanaRowCount and from -Reference of Test-FonanaSchema' {
        @((Complete "Assert-FonanaRowCount -Target '$($Db.Uri)' -Table sub").CompletionText) | Should -Be @('subscriptions')
        @((Complete "Test-FonanaSchema -Reference '$Archive' -Target x -Table li").CompletionText) | Should -Be @('likes')
    }

    It 'ask the server once, then answer from the cache' {
        $fresh = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $line = "Export-FonanaDatabase -Source '$($fresh.Uri)' -Path x.fnz -Table verif"
        @((Complete $line).CompletionText) | Should -Be @('verification_tokens')
        Invoke-FonanaTestSql -Server $Server -Database $fresh.Name -Sql 'DROP TABLE verification_tokens' | Out-Null
        @((Complete $line).CompletionText) | Should -Be @('verification_tokens') -Because 'the list is cached for two minutes'
    }

    It 'offer nothing, quickly and without an error, when the server cannot be reached' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Complete "Export-FonanaDatabase -Source 'postgresql://u@127.0.0.1:1/db' -Path x.fnz -Table u" | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}

Describe '-Path' {
    BeforeAll {
        $script:Folder = Join-Path $Work 'pick'
        New-Item -ItemType Directory (Join-Path $Folder 'older') -Force | Out-Null
        foreach ($name in 'march.fnz', 'april.fnz', 'notes.txt', 'schema.json') { Set-Content (Join-Path $Folder $name) 'x' }
    }

    It 'offers archives and folders, nothing else' {
        $names = (Complete "Import-FonanaDatabase -Target x -Path '$Folder/'").ListItemText
        @($names | Sort-Object) | Should -Be @('april.fnz', 'march.fnz', 'older')
    }

    It 'offers snapshots too where a saved schema is read (Test-FonanaSchema -Reference)' {
        $names = (Complete "Test-FonanaSchema -Target x -Reference '$Folder/'").ListItemText
        @($names | Sort-Object) | Should -Be @('april.fnz', 'march.fnz', 'older', 'schema.json')
    }
}
