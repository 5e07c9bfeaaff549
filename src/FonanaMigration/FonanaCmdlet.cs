using System.Management.Automation;
using FonanaMigration.Engine.Errors;
using FonanaMigration.Engine.Reports;

namespace FonanaMigration;

/// <summary>
/// Base of every FonanaMigration cmdlet: runs one engine call on a worker thread and, on the pipeline thread only,
/// drains its queue into Write-Verbose/Debug/Warning/Progress. Ctrl+C (StopProcessing) cancels the engine, which rolls back.
/// One concern per file: the engine runner (FonanaCmdlet.EngineRunner.cs), the error mapper (.ErrorRecords.cs), the run
/// log (.RunLog.cs), per-input failures (.InputScope.cs); here the shared state, parameters and endpoints.
/// </summary>
public abstract partial class FonanaCmdlet : PSCmdlet, IDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource? _cancellation;
    private Task? _running;
    private int _progressId;
    // A -LogPath write that failed while the engine ran: the run is cancelled and the error given once it has ended.
    private (Exception Error, string Path)? _logFailure;

    /// <summary>Seconds to wait for each server to accept a connection.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int ConnectTimeout { get; set; } = 15;

    /// <summary>Whether errors and logs may quote row values (set by commands with -IncludeRowValues).</summary>
    protected virtual bool RowValuesWanted => false;

    /// <summary>How long a COPY stream may stand still before the run fails as stalled (commands with -StallTimeout).</summary>
    protected virtual TimeSpan? StallLimit => null;

    /// <summary>
    /// Writes a report's Markdown, JSON and JUnit files for -ReportPath, here on the pipeline thread. Reports are side
    /// outputs the user asked for by name, so they are written without ShouldProcess, even when the run fails.
    /// </summary>
    protected void WriteReportFiles(VerificationReport report, string path)
    {
        try
        {
            foreach (var file in ReportFiles.Write(report, GetUnresolvedProviderPathFromPSPath(path)))
                WriteVerbose($"Wrote the report {file}.");
        }
        catch (MigrationException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
    }

    // Endpoints this command has already warned about, so a pipeline of many records warns once per endpoint.
    private readonly HashSet<string> _warnedEndpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The endpoint as the command will use it: a credential, when given, replaces its user and password; and before
    /// anything connects, a link to a non-loopback host that does not require TLS is warned about (once per endpoint).
    /// Call it first in ProcessRecord, before ShouldProcess, so -WhatIf shows the warning too.
    /// </summary>
    protected DatabaseEndpoint PrepareEndpoint(DatabaseEndpoint endpoint, PSCredential? credential)
    {
        UnreadableEndpoints.Refuse(this, endpoint); // a pipeline-bound one arrives after BeginProcessing
        if (credential is not null && credential != PSCredential.Empty)
            endpoint = endpoint.WithCredential(credential.UserName, credential.GetNetworkCredential().Password);
        if (TransportSecurity.UnverifiedWarning(endpoint) is { } warning && _warnedEndpoints.Add(endpoint.DisplayName))
        {
            WriteLog("Warning", "PlaintextConnection", warning);
            WriteWarning(warning);
        }
        return endpoint;
    }
}
