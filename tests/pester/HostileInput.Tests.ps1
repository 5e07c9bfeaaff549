# Hostile input: connection strings that carry a password, Prisma URLs, driver keywords that would leak secrets or row
# values, damaged and malicious archives, wrong passwords, and names that need quoting. Each input is either refused
# with a clear error (the module's id, the right category, nothing secret in it, nothing written) or, where it is valid,
# migrated and verified. Cases that fail on a branch without issue 11's fixes name the defect they depend on.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    . (Join-Path $PSScriptRoot 'FaultSetup.ps1')
    Add-Type -AssemblyName System.IO.Compression
    $script:Server = Start-FonanaTestServer -Name hostile
    $script:Work = New-TestDirectory
    $script:Tally = [FonanaMigration.Testing.FaultTally]
    $script:Categories = [System.Collections.Generic.List[string]]::new()
    function Use-Category([string] $Name) { if (-not $Categories.Contains($Name)) { $Categories.Add($Name) }; $Name }
    # A password no fixture uses, so any sighting of it is a leak.
    $script:Secret = 'Hx7-SeCrEt-q2ZP'

    function Invoke-Captured([scriptblock] $Command) {
        <# .SYNOPSIS Runs a command, returning its error (terminating or not), output and every other stream as text. #>
        $record = $null
        $streams = @()
        try {
            $streams = @(& $Command *>&1)
        }
        catch {
            $record = $_
        }
        $errors = @($streams | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        if ($record) { $errors += $record }
        $text = ($streams | Out-String -Width 4096) + "`n" + ($streams | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Format-List * -Force | Out-String -Width 4096)
        [pscustomobject]@{ Errors = $errors; Text = $text + "`n" + (Get-ErrorText $errors) }
    }

    function Assert-RejectedCleanly {
        param([string] $Category, $Captured, [string] $ErrorId, [string] $Category2 = 'InvalidArgument', [string[]] $Secrets, [string] $LogPath)
        $seen = 0
        $all = $Captured.Text
        if ($LogPath -and (Test-Path -LiteralPath $LogPath)) { $all += "`n" + (Get-Content -LiteralPath $LogPath -Raw) }
        foreach ($s in $Secrets) { $seen += Get-OccurrenceCount $all $s }
        $Tally::PasswordsSeen($Category, $seen)
        $Captured.Errors | Should -Not -BeNullOrEmpty -Because 'the input must be refused'
        $first = $Captured.Errors[0]
        $seen | Should -Be 0 -Because "no secret may appear in the error record, its exception chain, the output or the log: $($first.Exception.Message)"
        $first.FullyQualifiedErrorId | Should -BeLike "$ErrorId*"
        "$($first.CategoryInfo.Category)" | Should -Be $Category2
    }
}

AfterAll {
    Write-FaultSummary 'Hostile input' $Categories
    Stop-FonanaTestServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Malformed connection strings carrying a password' {
    # Before issue 11: depends on defect 5 (PowerShell's argument conversion echoes the string; no ConnectionStringInvalid id).
    It 'refuses <Label> with ConnectionStringInvalid and shows the password nowhere' -ForEach @(
        @{ Label = 'a URI with a port that is not a number'; Text = 'postgresql://u:{0}@127.0.0.1:notaport/db' }
        @{ Label = 'a URI with a port out of range'; Text = 'postgresql://u:{0}@127.0.0.1:99999/db' }
        @{ Label = 'a URI with an unclosed IPv6 bracket'; Text = 'postgresql://u:{0}@[::1/db' }
        @{ Label = 'a URI with an sslmode that does not exist'; Text = 'postgresql://u:{0}@127.0.0.1:1/db?sslmode=sometimes' }
        @{ Label = 'a key=value string with a bad port'; Text = 'Host=127.0.0.1;Port=abc;Username=u;Password={0};Database=db' }
        @{ Label = 'a key=value string with an unknown keyword'; Text = 'Host=127.0.0.1;Port=1;Password={0};Bogus Keyword=1' }
        @{ Label = 'a key=value string with an unterminated quote'; Text = 'Host=127.0.0.1;Password="{0};Database=db' }
    ) {
        $category = Use-Category 'connection strings'
        $Tally::InputTried($category)
        $bad = $Text -f $Secret
        $log = Join-Path $Work ("cs-" + [guid]::NewGuid().ToString('N').Substring(0, 6) + '.jsonl')
        $captured = Invoke-Captured { Export-FonanaDatabase -Source $bad -Path (Join-Path $Work 'never.fnz') -LogPath $log -ErrorAction Stop }
        Assert-RejectedCleanly -Category $category -Captured $captured -ErrorId 'ConnectionStringInvalid' -Secrets $Secret -LogPath $log
        Test-Path (Join-Path $Work 'never.fnz') | Should -BeFalse
        $Tally::InputRejectedCleanly($category)
    }
}

Describe 'Prisma DATABASE_URLs with Prisma-only parameters' {
    # Before issue 11: depends on defect 6.
    It 'accepts ?<Query> and exports as usual' -ForEach @(
        @{ Query = 'pgbouncer=true' }, @{ Query = 'connection_limit=5' }, @{ Query = 'pool_timeout=10' },
        @{ Query = 'socket_timeout=30' }, @{ Query = 'connect_timeout=10' }, @{ Query = 'statement_cache_size=0' },
        @{ Query = 'schema=public' }, @{ Query = 'sslaccept=accept_invalid_certs' },
        @{ Query = 'pgbouncer=true&connection_limit=1&pool_timeout=0&schema=public&statement_cache_size=0' }
    ) {
        $category = Use-Category 'Prisma URLs (must be accepted)'
        $Tally::InputTried($category)
        $db = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $archive = Join-Path $Work ("prisma-" + [guid]::NewGuid().ToString('N').Substring(0, 6) + '.fnz')
        $info = Export-FonanaDatabase -Source "$($db.Uri)?$Query" -Path $archive
        $info | Should -Not -BeNullOrEmpty
        Test-Path -LiteralPath $archive | Should -BeTrue
    }
}

Describe 'Driver keywords that would reveal secrets or row values' {
    It 'never shows the password with Persist Security Info=true, in output, streams, log or error' {
        # Before issue 11: depends on defect 7.
        $category = Use-Category 'secret-revealing keywords'
        $Tally::InputTried($category)
        $db = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $source = "$($db.KeyValue);Persist Security Info=true"
        $log = Join-Path $Work 'persist.jsonl'
        $ok = Invoke-Captured { Export-FonanaDatabase -Source $source -Path (Join-Path $Work 'persist.fnz') -LogPath $log -Verbose -Debug }
        $ok.Errors | Should -BeNullOrEmpty
        $missing = "$($db.KeyValue -replace 'Database=[^;]+', 'Database=no_such_db');Persist Security Info=true"
        $failed = Invoke-Captured { Export-FonanaDatabase -Source $missing -Path (Join-Path $Work 'persist2.fnz') -LogPath $log -Verbose -Debug -ErrorAction Stop }
        $text = $ok.Text + $failed.Text + (Get-Content -LiteralPath $log -Raw)
        $seen = Get-OccurrenceCount $text $TestPassword
        $Tally::PasswordsSeen($category, $seen)
        $seen | Should -Be 0
        $failed.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DatabaseNotFound*'
        $Tally::InputRejectedCleanly($category)
    }

    It 'keeps row values out of the error and the log <Label>' -ForEach @(
        @{ Label = 'by default'; Suffix = '' }
        @{ Label = 'with Include Error Detail=true'; Suffix = ';Include Error Detail=true' }
    ) {
        # Before issue 11: depends on defect 7 (the engine turns error detail on for every connection).
        $category = Use-Category 'secret-revealing keywords'
        $Tally::InputTried($category)
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $target = New-FonanaTestDatabase -Server $Server -Kind Empty
        $email = $Server.QueryScalar($source.Name, 'SELECT email FROM users ORDER BY id OFFSET 5 LIMIT 1')
        # A target-side policy that refuses one row and, as servers do, names the value in its DETAIL.
        $Server.ExecuteSql($target.Name, @"
CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS `$f`$
BEGIN
  IF NEW.email = '$email' THEN RAISE EXCEPTION 'row refused by policy' USING DETAIL = 'email ' || NEW.email; END IF;
  RETURN NEW;
END `$f`$;
CREATE TRIGGER refuse_one BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_one();
ALTER TABLE users ENABLE ALWAYS TRIGGER refuse_one; -- the load disables ordinary triggers on tables the role owns
"@, 'fonana_user')
        $targetEndpoint = New-FaultEndpoint -Server $Server -Database $target.Name
        $before = Get-Fingerprint $targetEndpoint
        $log = Join-Path $Work 'detail.jsonl'
        $captured = Invoke-Captured { Copy-FonanaDatabase -Source $source.Uri -Target "$($target.KeyValue)$Suffix" -Confirm:$false -LogPath $log -ErrorAction Stop }
        $captured.Errors | Should -Not -BeNullOrEmpty
        $all = $captured.Text + (Get-Content -LiteralPath $log -Raw)
        Get-OccurrenceCount $all $email | Should -Be 0 -Because 'row values appear only when the user asks for them'
        Get-OccurrenceCount $all $TestPassword | Should -Be 0
        $before.Differences((Get-Fingerprint $targetEndpoint)) | Should -BeNullOrEmpty
        $Tally::InputRejectedCleanly($category)
    }
}

Describe 'Wrong passwords' {
    # Before issue 11: expected to pass.
    It 'refuses <Label> with AuthenticationFailed and never shows the wrong password' -ForEach @(
        @{ Label = 'a wrong password in the URI'; Way = 'Uri' }
        @{ Label = 'a wrong password in -SourceCredential'; Way = 'Credential' }
    ) {
        $category = Use-Category 'wrong passwords'
        $Tally::InputTried($category)
        $db = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $uri = "postgresql://fonana_user:$Secret@127.0.0.1:$($Server.Port)/$($db.Name)"
        $plain = "postgresql://fonana_user@127.0.0.1:$($Server.Port)/$($db.Name)"
        $log = Join-Path $Work 'wrong.jsonl'
        $captured = if ($Way -eq 'Uri') {
            Invoke-Captured { Export-FonanaDatabase -Source $uri -Path (Join-Path $Work 'wrong.fnz') -LogPath $log -ErrorAction Stop }
        }
        else {
            $credential = New-TestCredential 'fonana_user' $Secret
            Invoke-Captured { Export-FonanaDatabase -Source $plain -SourceCredential $credential -Path (Join-Path $Work 'wrong.fnz') -LogPath $log -ErrorAction Stop }
        }
        Assert-RejectedCleanly -Category $category -Captured $captured -ErrorId 'AuthenticationFailed' -Category2 'AuthenticationError' -Secrets $Secret -LogPath $log
        $Tally::InputRejectedCleanly($category)
    }
}

Describe 'Damaged and malicious archives' {
    BeforeAll {
        $source = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $script:GoodArchive = Join-Path $Work 'good.fnz'
        Export-FonanaDatabase -Source $source.Uri -Path $GoodArchive | Out-Null

        function Copy-Archive([string] $Name) {
            $path = Join-Path $Work "$Name-$([guid]::NewGuid().ToString('N').Substring(0, 6)).fnz"
            Copy-Item -LiteralPath $GoodArchive -Destination $path
            $path
        }
        function Edit-Manifest([string] $Path, [scriptblock] $Change) {
            # $Change gets the manifest as a JsonNode and returns the new text.
            $zip = [System.IO.Compression.ZipFile]::Open($Path, 'Update')
            try {
                $entry = $zip.GetEntry('manifest.json')
                $reader = [IO.StreamReader]::new($entry.Open())
                $json = [System.Text.Json.Nodes.JsonNode]::Parse($reader.ReadToEnd())
                $reader.Dispose()
                $text = & $Change $json
                $entry.Delete()
                $writer = [IO.StreamWriter]::new($zip.CreateEntry('manifest.json').Open())
                $writer.Write($text)
                $writer.Dispose()
            }
            finally { $zip.Dispose() }
        }
        function Get-EntryPayload([string] $Path, [string] $Prefix) {
            # Offset and size of the first entry whose name starts with $Prefix, from the zip's local headers.
            $bytes = [IO.File]::ReadAllBytes($Path)
            for ($i = 0; $i -lt $bytes.Length - 30; $i++) {
                if ($bytes[$i] -eq 0x50 -and $bytes[$i + 1] -eq 0x4B -and $bytes[$i + 2] -eq 3 -and $bytes[$i + 3] -eq 4) {
                    $size = [BitConverter]::ToUInt32($bytes, $i + 18)
                    $nameLength = [BitConverter]::ToUInt16($bytes, $i + 26)
                    $extraLength = [BitConverter]::ToUInt16($bytes, $i + 28)
                    $name = [Text.Encoding]::UTF8.GetString($bytes, $i + 30, $nameLength)
                    if ($name.StartsWith($Prefix) -and $size -gt 16) { return @{ Offset = $i + 30 + $nameLength + $extraLength; Size = [int] $size } }
                }
            }
            throw "No entry $Prefix* with a known size in $Path."
        }
        function Set-BitFlip([string] $Path, [long] $Offset) {
            $stream = [IO.File]::Open($Path, 'Open', 'ReadWrite')
            try { $null = $stream.Seek($Offset, 'Begin'); $b = $stream.ReadByte(); $null = $stream.Seek($Offset, 'Begin'); $stream.WriteByte($b -bxor 0x10) }
            finally { $stream.Dispose() }
        }
    }

    It 'refuses <Label> before writing anything, the -Clean backup included' -ForEach @(
        @{ Label = 'a bit flipped in a data entry'; Make = { param($p) $e = Get-EntryPayload $p 'data/'; Set-BitFlip $p ($e.Offset + [int]($e.Size / 2)) }; Defect = 'none' }
        @{ Label = 'a bit flipped in the manifest'; Make = { param($p) $e = Get-EntryPayload $p 'manifest.json'; Set-BitFlip $p ($e.Offset + [int]($e.Size / 2)) }; Defect = 'none' }
        @{ Label = 'a file cut in half'; Make = { param($p) $b = [IO.File]::ReadAllBytes($p); [IO.File]::WriteAllBytes($p, $b[0..([int]($b.Length / 2))]) }; Defect = 'none' }
        @{ Label = 'a file missing its last 100 bytes'; Make = { param($p) $b = [IO.File]::ReadAllBytes($p); [IO.File]::WriteAllBytes($p, $b[0..($b.Length - 101)]) }; Defect = 'none' }
        @{ Label = 'a future format version'; Make = { param($p) Edit-Manifest $p { param($m) $m['formatVersion'] = 99; $m.ToJsonString() } }; Defect = 'none' }
        @{ Label = 'a null table entry'; Make = { param($p) Edit-Manifest $p { param($m) $m['tables'].Add($null); $m.ToJsonString() } }; Defect = '12' }
        @{ Label = 'a duplicated table entry'; Make = { param($p) Edit-Manifest $p { param($m) $m['tables'].Add($m['tables'][0].DeepClone()); $m.ToJsonString() } }; Defect = '12' }
        @{ Label = 'a 96 MB manifest'; Make = { param($p) Edit-Manifest $p { param($m) (' ' * 96MB) + $m.ToJsonString() } }; Defect = '12' }
    ) {
        $category = Use-Category 'archives'
        $Tally::InputTried($category)
        $archive = Copy-Archive 'hostile'
        & $Make $archive
        $target = New-FonanaTestDatabase -Server $Server -Kind Seeded
        $endpoint = New-FaultEndpoint -Server $Server -Database $target.Name
        $before = Get-Fingerprint $endpoint
        $backup = Join-Path $Work ("backup-" + [guid]::NewGuid().ToString('N').Substring(0, 6) + '.fnz')
        $captured = Invoke-Captured { Import-FonanaDatabase -Path $archive -Target $target.Uri -Clean -BackupPath $backup -Confirm:$false -ErrorAction Stop }
        $captured.Errors | Should -Not -BeNullOrEmpty -Because "$Label must be refused (defect $Defect)"
        $captured.Errors[0].FullyQualifiedErrorId | Should -Match '^Archive(Corrupt|FormatUnsupported)'
        "$($captured.Errors[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        Test-Path -LiteralPath $backup | Should -BeFalse -Because 'nothing is written before the archive is known good, the backup included'
        $before.Differences((Get-Fingerprint $endpoint)) | Should -BeNullOrEmpty
        $Tally::InputRejectedCleanly($category)
    }
}

Describe 'Names that need quoting' {
    # Before issue 11: expected to pass.
    It 'copies and exports/imports schemas, tables and columns with quotes, spaces, capitals and Unicode, verified' {
        $category = Use-Category 'quoted identifiers (must migrate)'
        $Tally::InputTried($category)
        $schema = @'
CREATE SCHEMA "Sch ""ema"" Ü";
CREATE TABLE "Sch ""ema"" Ü"."Pärent ""Q"" Table" ("Ïd" serial PRIMARY KEY, "Nämé ""x"" Y" text NOT NULL);
CREATE TABLE "Sch ""ema"" Ü"."child 子" ("id" serial PRIMARY KEY, "Pärent Id" int NOT NULL REFERENCES "Sch ""ema"" Ü"."Pärent ""Q"" Table" ("Ïd"), "Ω" text);
CREATE TABLE public."MixedCase" ("ID" int PRIMARY KEY, "select" text);
'@
        $seed = @'
INSERT INTO "Sch ""ema"" Ü"."Pärent ""Q"" Table" ("Nämé ""x"" Y") SELECT 'név ' || g || ' "q" ''s'' \t' FROM generate_series(1, 50) g;
INSERT INTO "Sch ""ema"" Ü"."child 子" ("Pärent Id", "Ω") SELECT 1 + g % 50, 'ω ' || g FROM generate_series(1, 120) g;
INSERT INTO public."MixedCase" SELECT g, 'from ' || g FROM generate_series(1, 10) g;
'@
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 4)
        $names = @("Src `"Ωmega`" db $suffix", "Tgt Ωmega $suffix", "Imp ü $suffix")
        foreach ($n in $names) {
            $Server.CreateDatabase($n, 'fonana_user')
            $Server.ExecuteSql($n, $schema, 'fonana_user')
        }
        $Server.ExecuteSql($names[0], $seed, 'fonana_user')
        $source = New-FaultEndpoint -Server $Server -Database $names[0]
        $copyTarget = New-FaultEndpoint -Server $Server -Database $names[1]
        $importTarget = New-FaultEndpoint -Server $Server -Database $names[2]

        $copied = Copy-FonanaDatabase -Source $source.Uri -Target $copyTarget.Uri -Confirm:$false
        $copied.Verified | Should -BeTrue
        $archive = Join-Path $Work 'quoted names ü.fnz'
        $imported = Export-FonanaDatabase -Source $source.Uri -Path $archive | Import-FonanaDatabase -Target $importTarget.Uri -Confirm:$false
        $imported.Verified | Should -BeTrue
        $expected = Get-Fingerprint $source
        $expected.TableDifferences((Get-Fingerprint $copyTarget)) | Should -BeNullOrEmpty
        $expected.TableDifferences((Get-Fingerprint $importTarget)) | Should -BeNullOrEmpty
        $expected.TotalRows | Should -Be 180
    }
}
