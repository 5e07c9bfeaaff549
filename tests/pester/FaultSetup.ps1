# Dot-sourced by the fault-injection Pester files (after TestSetup.ps1): cmdlets run in the background so a test can
# break something while they work, a small database with one large narrow table, and the verdict every case shares:
# the target is exactly as before or exactly complete, and the error says which.

$script:ModulePath = if ($env:FONANA_MODULE_PATH) { $env:FONANA_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/FonanaMigration/FonanaMigration.psd1' }
$script:FaultRole = [FonanaMigration.Testing.FonanaDatabase]::DefaultRole
$script:FaultPassword = [FonanaMigration.Testing.FonanaDatabase]::DefaultPassword
# How long a cmdlet may take to return after a fault before the test calls it a hang (a hang guard, not a speed goal).
$script:HangGuard = [timespan]::FromSeconds(180)
# A long soak (FONANA_FAULT_SOAK=1) repeats the random-stop loops ten times as often.

$script:FaultSchemaSql = @'
CREATE TABLE parent (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), v int NOT NULL);
CREATE TABLE big (id bigint PRIMARY KEY, v int NOT NULL);
CREATE TABLE zz_log (id serial PRIMARY KEY, note text NOT NULL);
CREATE INDEX child_parent_id ON child (parent_id);
'@

function New-FaultDatabase {
    <#
    .SYNOPSIS
    A database with parent/child (a foreign key), big (BigRows narrow rows: the "large table") and zz_log, owned by
    fonana_user; -Empty gives the schema alone (a target). Returns Name, Uri and a Through(relay) URI maker.
    #>
    param(
        [Parameter(Mandatory)] $Server,
        [int] $BigRows = 1000,
        [switch] $Empty
    )
    $name = 'fault_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $Server.CreateDatabase($name, $FaultRole)
    $Server.ExecuteSql($name, $FaultSchemaSql, $FaultRole)
    if (-not $Empty) {
        $Server.ExecuteSql($name, @"
INSERT INTO parent (name) SELECT 'parent ' || g FROM generate_series(1, 100) g;
INSERT INTO child (parent_id, v) SELECT 1 + g % 100, g FROM generate_series(1, 300) g;
INSERT INTO big (id, v) SELECT g, g % 1000 FROM generate_series(1, $BigRows) g;
INSERT INTO zz_log (note) SELECT 'note ' || g FROM generate_series(1, 1000) g;
"@, $FaultRole)
    }
    New-FaultEndpoint -Server $Server -Database $name
}

function New-FaultEndpoint([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Database) {
    [pscustomobject]@{
        Server   = $Server
        Name     = $Database
        Uri      = Get-FaultUri -Port $Server.Port -Database $Database
    }
}

function Get-FaultUri([int] $Port, [string] $Database) {
    "postgresql://${FaultRole}:$FaultPassword@127.0.0.1:$Port/$([uri]::EscapeDataString($Database))"
}

function Get-Fingerprint($Endpoint) {
    [FonanaMigration.Testing.DatabaseFingerprint]::Take($Endpoint.Server, $Endpoint.Name)
}

function New-FaultRunspace {
    <# .SYNOPSIS A runspace with the module under test imported, for cmdlets run in the background. #>
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript("`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModulePath'").Invoke()
    $ps.Dispose()
    $runspace
}

function Start-FaultCommand {
    <#
    .SYNOPSIS
    Starts a script (one or more module cmdlets) in the background runspace; pass the result to Stop-FaultCommand or
    Wait-FaultCommand. Parameters arrive as $args[0] (a hashtable).
    #>
    param(
        [Parameter(Mandatory)] $Runspace,
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Parameters = @{}
    )
    $ps = [powershell]::Create()
    $ps.Runspace = $Runspace
    $null = $ps.AddScript($Script).AddArgument($Parameters)
    [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
}

function Wait-FaultCommand {
    <#
    .SYNOPSIS
    Waits for a background command (at most the hang guard) and returns Output, Errors (ErrorRecords, the terminating
    one included), Succeeded, Stopped and HasReturned.
    #>
    param([Parameter(Mandatory)] $Command, [switch] $Stop, [timespan] $Within = $HangGuard)
    $ps = $Command.PowerShell
    if ($Stop) {
        # BeginStop, not Stop: a cmdlet that ignores the stop must show up as a hang here, not block the test.
        $null = $ps.BeginStop($null, $null)
    }
    $returned = $Command.Async.AsyncWaitHandle.WaitOne($Within)
    $output = @()
    $warnings = @()
    $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
    $stopped = $false
    if ($returned) {
        try {
            $output = @($ps.EndInvoke($Command.Async))
        }
        catch [System.Management.Automation.PipelineStoppedException] {
            $stopped = $true
        }
        catch {
            $inner = $_.Exception
            while ($inner -is [System.Management.Automation.MethodInvocationException] -and $inner.InnerException) { $inner = $inner.InnerException }
            if ($inner -is [System.Management.Automation.PipelineStoppedException]) { $stopped = $true }
            elseif ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $errors.Add($inner.ErrorRecord) }
            else { $errors.Add([System.Management.Automation.ErrorRecord]::new($inner, 'Unexpected', 'NotSpecified', $null)) }
        }
        foreach ($e in $ps.Streams.Error) { $errors.Add($e) }
        $warnings = @($ps.Streams.Warning | ForEach-Object { $_.Message })
        if ($ps.InvocationStateInfo.State -eq 'Stopped') { $stopped = $true }
        $ps.Dispose()
    }
    [pscustomobject]@{
        HasReturned = $returned
        Output      = $output
        Errors      = @($errors)
        Stopped     = $stopped
        Succeeded   = $returned -and -not $stopped -and $errors.Count -eq 0
        ErrorIds    = @($errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
        Warnings    = @($warnings)
    }
}

function Assert-FaultOutcome {
    <#
    .SYNOPSIS
    The promise after a fault: the command returned; nothing changes in the target after it returned and none of the
    module's sessions is left; on success the target holds exactly the source's rows; on an error it is exactly as
    before; after a stop, or an error saying the outcome is unknown, it is one of the two. Counts rows lost.
    #>
    param(
        [Parameter(Mandatory)] [string] $Category,
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)] $Target,
        [Parameter(Mandatory)] $Before,
        [Parameter(Mandatory)] $Expected,
        # Grace for the server to notice a connection the fault cut (not a speed goal).
        [timespan] $BackendGrace = [timespan]::FromSeconds(20)
    )
    $Result.HasReturned | Should -BeTrue -Because 'a cmdlet must return after a fault, not hang'
    # The target as the cmdlet left it, read at once: a run that goes on after its cmdlet returned shows up as a change.
    $atReturn = Get-Fingerprint $Target
    $left = $Target.Server.WaitForModuleBackendsToEnd($Target.Name, $BackendGrace)
    $after = Get-Fingerprint $Target
    $atReturn.Differences($after) | Should -BeNullOrEmpty -Because 'nothing may change in the target after the cmdlet returned'
    $left | Should -BeNullOrEmpty -Because 'no session of the module may outlive the cmdlet (it could still commit)'
    $complete = $Expected.TableDifferences($after)
    $asBefore = $Before.Differences($after)
    # Rows lost: rows a success claims that are missing, or rows the target had before that a failure took away.
    $lost = if ($Result.Succeeded) { $Expected.RowsMissingFrom($after) } else { $Before.RowsMissingFrom($after) }
    [FonanaMigration.Testing.FaultTally]::RowsLost($Category, $lost)
    if ($Result.Succeeded) {
        $complete | Should -BeNullOrEmpty -Because 'success means every row arrived'
    }
    elseif ($Result.Stopped -or $Result.ErrorIds -contains 'CommitOutcomeUnknown') {
        # A stop that lands on COMMIT (or a connection lost during it) may end either way, but never in between.
        (-not $complete -or -not $asBefore) | Should -BeTrue -Because "a stop or an unknown outcome is still all or nothing: $($asBefore -join '; ')"
    }
    else {
        $asBefore | Should -BeNullOrEmpty -Because "an error ($($Result.ErrorIds -join ', ')) means the target is exactly as it was"
    }
    [pscustomobject]@{ Complete = -not $complete; AsBefore = -not $asBefore }
}

function Get-ErrorText([System.Management.Automation.ErrorRecord[]] $ErrorRecords) {
    <# .SYNOPSIS Everything a user could see of these errors: Format-List * -Force, the exception chain, details, target. #>
    $text = foreach ($record in $ErrorRecords) {
        $record | Format-List * -Force | Out-String -Width 4096
        $record.Exception | Format-List * -Force | Out-String -Width 4096
        $e = $record.Exception
        while ($e) { $e.ToString(); $e.Message; $e = $e.InnerException }
        if ($record.ErrorDetails) { $record.ErrorDetails.Message; $record.ErrorDetails.RecommendedAction }
        if ($null -ne $record.TargetObject) { $record.TargetObject | Out-String -Width 4096; "$($record.TargetObject)" }
    }
    $text -join "`n"
}

function Get-OccurrenceCount([string] $Text, [string] $Secret) {
    if (-not $Text) { return 0 }
    ([regex]::Matches($Text, [regex]::Escape($Secret))).Count
}

function Write-FaultSummary([string] $Heading, [string[]] $Categories) {
    <#
    .SYNOPSIS
    Prints this file's summary lines (one per category, counted by the tests as they ran) and appends them to
    FONANA_FAULT_SUMMARY when build.ps1 set it, so the test command repeats them next to its closing line.
    #>
    $lines = foreach ($line in [FonanaMigration.Testing.FaultTally]::SummaryLines()) {
        if ($Categories | Where-Object { $line.StartsWith("${_}:") }) { "$Heading | $line" }
    }
    foreach ($line in $lines) { Write-Host $line }
    if ($env:FONANA_FAULT_SUMMARY -and $lines) { Add-Content -LiteralPath $env:FONANA_FAULT_SUMMARY -Value $lines }
}
