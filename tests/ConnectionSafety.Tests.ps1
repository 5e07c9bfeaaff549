# Issue 11, the cmdlet runner and connections: the error a user sees matches what the server did, even when the host
# side fails mid-run; passwords never reach an error record; row values appear only when asked for.
BeforeDiscovery {
    $script:DiscoverySecret = 'S3CRET-do-not-show'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-FonanaTestServer -Name connsafety
    $script:Work = New-TestDirectory
    $script:Secret = 'S3CRET-do-not-show'

    # Everything PowerShell can show of an error: its properties, its exception chain (each with all its properties), its target.
    function Get-ErrorText([System.Management.Automation.ErrorRecord] $Err) {
        $parts = @(($Err | Format-List * -Force | Out-String -Width 4096), "$($Err.TargetObject)", $Err.ToString())
        for ($e = $Err.Exception; $e; $e = $e.InnerException) {
            $parts += $e.ToString()
            $parts += ($e | Format-List * -Force | Out-String -Width 4096)
        }
        $parts -join "`n"
    }
    function Get-ExceptionChain([System.Management.Automation.ErrorRecord] $Err) {
        for ($e = $Err.Exception; $e; $e = $e.InnerException) { $e }
    }
    # A child process with its arguments passed one by one, never re-split on spaces.
    function Start-Argv([string] $FileName) {
        $info = [System.Diagnostics.ProcessStartInfo]::new($FileName)
        foreach ($a in $args) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        [System.Diagnostics.Process]::Start($info)
    }
    function Get-EngineBackendCount([string] $Database) {
        [int](Invoke-FonanaTestSql -Server $Server -Database postgres -Sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$Database' AND application_name LIKE 'FonanaMigration%'")
    }
}

AfterAll {
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'A connection string that cannot be read' {
    It 'reaches every cmdlet''s endpoint parameters through DatabaseEndpointArgument, never PowerShell''s conversion (which quotes it, password included)' {
        $bare = foreach ($command in Get-Command -Module FonanaMigration -CommandType Cmdlet) {
            foreach ($p in $command.Parameters.Values | Where-Object ParameterType -EQ ([FonanaMigration.Engine.Connections.DatabaseEndpoint])) {
                if (-not ($p.Attributes | Where-Object { $_.GetType().Name -eq 'DatabaseEndpointArgumentAttribute' })) { "$($command.Name) -$($p.Name)" }
            }
        }
        @($bare) | Should -BeNullOrEmpty
    }

    It '<Command> -<Parameter> refuses <Text> with ConnectionStringInvalid and never shows the password' -ForEach @(
        foreach ($case in @(
                @{ Command = 'Copy-FonanaDatabase'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Copy-FonanaDatabase'; Parameter = 'Target'; Others = @{ Source = 'postgresql://u@127.0.0.1/s' } },
                @{ Command = 'Export-FonanaDatabase'; Parameter = 'Source'; Others = @{ Path = 'never.fnz' } },
                @{ Command = 'Import-FonanaDatabase'; Parameter = 'Target'; Others = @{ Path = 'never.fnz' } },
                @{ Command = 'Get-FonanaSchema'; Parameter = 'Connection'; Others = @{} },
                @{ Command = 'Test-FonanaSchema'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Test-FonanaSchema'; Parameter = 'Target'; Others = @{ Source = 'postgresql://u@127.0.0.1/s' } },
                @{ Command = 'Assert-FonanaRowCount'; Parameter = 'Target'; Others = @{ Source = 'postgresql://u@127.0.0.1/s' } },
                @{ Command = 'Assert-FonanaRowCount'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Test-FonanaIntegrity'; Parameter = 'Target'; Others = @{} },
                @{ Command = 'Test-FonanaIntegrity'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Update-FonanaMediaUrl'; Parameter = 'Target'; Others = @{ From = 'http://localhost:3000'; To = 'https://x.example' } },
                @{ Command = 'New-FonanaMigrationMap'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t'; Path = 'never.psd1' } },
                @{ Command = 'New-FonanaMigrationMap'; Parameter = 'Target'; Others = @{ Source = 'postgresql://u@127.0.0.1/s'; Path = 'never.psd1' } },
                @{ Command = 'Start-FonanaReplication'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Start-FonanaReplication'; Parameter = 'Target'; Others = @{ Source = 'postgresql://u@127.0.0.1/s' } },
                @{ Command = 'Start-FonanaReplication'; Parameter = 'SourceFromTarget'; Others = @{ Source = 'postgresql://u@127.0.0.1/s'; Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Get-FonanaReplication'; Parameter = 'Target'; Others = @{} },
                @{ Command = 'Get-FonanaReplication'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Complete-FonanaReplication'; Parameter = 'Source'; Others = @{ Target = 'postgresql://u@127.0.0.1/t' } },
                @{ Command = 'Complete-FonanaReplication'; Parameter = 'Target'; Others = @{ Source = 'postgresql://u@127.0.0.1/s' } },
                @{ Command = 'Stop-FonanaReplication'; Parameter = 'Source'; Others = @{} },
                @{ Command = 'Stop-FonanaReplication'; Parameter = 'Target'; Others = @{} })) {
            foreach ($text in "postgresql://u:$DiscoverySecret@h/db?pgbouncer=true&nosuchparameter=1", "Host=h;Port=notaport;Username=u;Password=$DiscoverySecret",
                "postgresql://u:$DiscoverySecret@h/db?port=abc", "Host=h;Password='$DiscoverySecret") {
                $case + @{ Text = $text }
            }
        }
    ) {
        $arguments = $Others.Clone()
        $arguments[$Parameter] = $Text
        # Only where it exists: an unknown -Confirm is a binding error, which would hide the one under test.
        if ((Get-Command $Command).Parameters.ContainsKey('Confirm')) { $arguments['Confirm'] = $false }
        $err = $null
        try { & $Command @arguments -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        Get-ErrorText $err | Should -Not -Match ([regex]::Escape($Secret))
        @(Get-ExceptionChain $err | Where-Object { $_.PSObject.Properties['ErrorId'] -and $_.ErrorId -eq 'ConnectionStringInvalid' }).Count | Should -Be 1
        $err.FullyQualifiedErrorId | Should -BeLike 'ConnectionStringInvalid,*'
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
    }
}

Describe 'A Prisma DATABASE_URL' {
    It 'is accepted with every Prisma-only parameter, and ?schema= selects only that schema''s tables' {
        $db = New-FonanaTestDatabase -Server $Server -Kind Seeded
        Invoke-FonanaTestSql -Server $Server -Database $db.Name -Sql 'CREATE SCHEMA audit; CREATE TABLE audit.trail (id int PRIMARY KEY); INSERT INTO audit.trail VALUES (1); GRANT USAGE ON SCHEMA audit TO fonana_user; GRANT SELECT ON audit.trail TO fonana_user;' | Out-Null
        $prisma = "$($db.Uri)?schema=public&pgbouncer=true&connection_limit=5&pool_timeout=10&socket_timeout=30&connect_timeout=10&statement_cache_size=0&sslpassword=$Secret&sslidentity=id.p12&sslcert=ca.pem"
        $verbose = @()
        $info = Export-FonanaDatabase -Source $prisma -Path (Join-Path $Work 'prisma.fnz') -Verbose -LogPath (Join-Path $Work 'prisma.jsonl') 4>&1 |
            Where-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose += $_.Message; $false } else { $true } }
        $info.Tables.Name | Should -Not -Contain 'trail'
        $info.TableCount | Should -Be $ExpectedCounts.Count
        ($verbose -join "`n") | Should -Match 'Ignoring .*pgbouncer.*sslpassword'
        ($verbose -join "`n") + (Get-Content (Join-Path $Work 'prisma.jsonl') -Raw) | Should -Not -Match ([regex]::Escape($Secret))

        $all = Export-FonanaDatabase -Source $db.Uri -Path (Join-Path $Work 'all-schemas.fnz')
        $all.TableCount | Should -Be ($ExpectedCounts.Count + 1)
    }
}

Describe 'Row values in errors and logs' {
    BeforeAll {
        $script:Source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $script:Email = Invoke-FonanaTestSql -Server $Server -Database $Source.Name -Sql 'SELECT email FROM users WHERE email IS NOT NULL ORDER BY id LIMIT 1'
        function New-RejectingTarget {
            # The target refuses one source row for real: a trigger records every email in a table that already holds one.
            $target = New-FonanaTestDatabase -Server $Server -Kind Empty
            Invoke-FonanaTestSql -Server $Server -Database $target.Name -Sql @"
CREATE TABLE seen_emails (email text PRIMARY KEY);
INSERT INTO seen_emails VALUES ('$Email');
CREATE FUNCTION remember_email() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS `$`$ BEGIN INSERT INTO public.seen_emails VALUES (NEW.email); RETURN NEW; END `$`$;
CREATE TRIGGER remember_email BEFORE INSERT ON users FOR EACH ROW WHEN (NEW.email IS NOT NULL) EXECUTE FUNCTION remember_email();
-- ENABLE ALWAYS: on a table the role owns, the load disables ordinary triggers (as for replicated rows).
ALTER TABLE users ENABLE ALWAYS TRIGGER remember_email;
"@ | Out-Null
            $target
        }
    }

    It 'are left out of the error and the -LogPath file by default' {
        $target = New-RejectingTarget
        $log = Join-Path $Work 'rejected.jsonl'
        $err = $null
        try { Copy-FonanaDatabase -Source $Source.Uri -Target $target.Uri -Confirm:$false -LogPath $log -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'TargetRejectedRow,*'
        $err.Exception.Message | Should -Match 'IncludeRowValues'
        Get-ErrorText $err | Should -Not -Match ([regex]::Escape($Email))
        Get-Content $log -Raw | Should -Not -Match ([regex]::Escape($Email))
        Invoke-FonanaTestSql -Server $Server -Database $target.Name -Sql 'SELECT count(*) FROM users' | Should -Be '0'
    }

    It 'are shown with -IncludeRowValues' {
        $target = New-RejectingTarget
        $err = $null
        try { Copy-FonanaDatabase -Source $Source.Uri -Target $target.Uri -Confirm:$false -IncludeRowValues -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'TargetRejectedRow,*'
        $err.Exception.Message | Should -Match ([regex]::Escape($Email))
    }
}

Describe 'A -LogPath file that becomes unwritable mid-run' {
    It 'cancels the engine and waits for it, and the error says what the target did' {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $log = Join-Path $Work 'vanishing.jsonl'
        # Another session holds a lock the load needs, so the run is certainly in flight when the log file goes away.
        $psql = Join-Path $Server.BinDirectory 'psql'
        $holder = Start-Argv $psql "$($target.Uri)?application_name=fonana-lock-holder" '-qc' 'BEGIN; LOCK TABLE public.users IN SHARE MODE; SELECT pg_sleep(600); COMMIT;'
        while ((Invoke-FonanaTestSql -Server $Server -Database $target.Name -Sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'users' AND l.mode = 'ShareLock' AND l.granted") -ne '1') {
            if ($holder.HasExited) { throw "The lock holder ended before taking its lock: $($holder.StandardError.ReadToEnd())" }
            Start-Sleep -Milliseconds 50
        }
        # Once the load waits for its lock, the log file is replaced by a directory (retried: the cmdlet may recreate
        # the file in between), so its next write fails; then the lock is let go and the load goes on.
        $release = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fonana-lock-holder'"
        $swap = Start-Argv bash '-c' "until grep -q 'LOCK TABLE' '$log' 2>/dev/null; do sleep 0.05; done; until mkdir '$log' 2>/dev/null; do rm -f '$log'; done; '$psql' '$($target.Uri)' -qc `"$release`""

        $err = $null
        try { Copy-FonanaDatabase -Source $source.Uri -Target $target.Uri -Confirm:$false -LogPath $log -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $engineConnectionsAtReturn = Get-EngineBackendCount $target.Name
        if (-not $swap.WaitForExit(120000)) { $swap.Kill() }
        Invoke-FonanaTestSql -Server $Server -Database postgres -Sql $release | Out-Null
        $holder.WaitForExit()

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'LogFileWriteFailed,*'
        $engineConnectionsAtReturn | Should -Be 0 -Because 'the cmdlet returns only after its engine has finished'
        # Nothing runs on afterwards: what the target holds now is what it held when the error was given.
        $rows = [int](Invoke-FonanaTestSql -Server $Server -Database $target.Name -Sql 'SELECT count(*) FROM users')
        if ($rows -eq 0) { "$err" | Should -Match 'nothing was committed' }
        else { "$err" | Should -Match 'already completed'; $rows | Should -Be $ExpectedCounts['users'] }
    }
}

Describe 'A pipeline stopped while progress is being written' {
    It 'returns only after the engine has finished, and the target is either untouched or complete and said so' {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $log = Join-Path $Work 'stopped.jsonl'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$((Get-Module FonanaMigration).Path)'; Copy-FonanaDatabase -Source '$($source.Uri)' -Target '$($target.Uri)' -Confirm:`$false -LogPath '$log'")
        $handle = $ps.BeginInvoke()
        # Stop at the first progress record: the run is in flight and the cmdlet is writing to the pipeline.
        while ($ps.Streams.Progress.Count -eq 0 -and -not $handle.IsCompleted) { Start-Sleep -Milliseconds 5 }
        $ps.Stop()
        $engineConnectionsAtReturn = Get-EngineBackendCount $target.Name
        $ps.Dispose()

        $engineConnectionsAtReturn | Should -Be 0 -Because 'the cmdlet returns only after its engine has finished'
        $rows = [int](Invoke-FonanaTestSql -Server $Server -Database $target.Name -Sql 'SELECT count(*) FROM users')
        if ($rows -ne 0) {
            $rows | Should -Be $ExpectedCounts['users']
            Get-Content $log -Raw | Should -Match 'CompletedWhileStopping'
        }
    }
}
