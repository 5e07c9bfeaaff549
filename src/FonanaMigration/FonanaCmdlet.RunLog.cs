using System.Management.Automation;
using FonanaMigration.Engine.Hosting;

namespace FonanaMigration;

/// <summary>The run log: -LogPath, the JSON-lines file every message and error of the command goes to.</summary>
public abstract partial class FonanaCmdlet
{
    /// <summary>
    /// Write a structured log of this command to this file: one JSON object per line (time, level, event, message,
    /// command, data), with the Debug detail included. Appends; several commands may share one file.
    /// </summary>
    [Parameter]
    public string? LogPath { get; set; }

    private JsonLinesLog? _log;
    private DateTimeOffset _started;

    protected override void BeginProcessing()
    {
        // Open the log first, so a log file that cannot be written stops the command before any work.
        if (LogPath is not null) WriteLog("Debug", "Parameters", $"Parameters given: {string.Join(", ", MyInvocation.BoundParameters.Keys.Select(k => "-" + k))}.");
        foreach (var value in MyInvocation.BoundParameters.Values) UnreadableEndpoints.Refuse(this, value as DatabaseEndpoint);
        base.BeginProcessing();
    }

    protected override void EndProcessing()
    {
        if (_log is not null)
            WriteLog("Information", "Completed", $"{MyInvocation.MyCommand.Name} completed in {DateTimeOffset.UtcNow - _started:c}.");
        base.EndProcessing();
    }

    private void WriteLog(string level, string eventName, string message, IReadOnlyDictionary<string, string>? data = null,
        string? errorId = null, string? category = null)
    {
        if (LogPath is null) return;
        try
        {
            if (_log is null)
            {
                _log = new JsonLinesLog(GetUnresolvedProviderPathFromPSPath(LogPath), MyInvocation.MyCommand.Name);
                _started = DateTimeOffset.UtcNow;
                _log.Write("Information", "Started", $"{MyInvocation.MyCommand.Name} started.");
            }
            _log.Write(level, eventName, message, data, errorId, category);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A runbook that asked for a log must not run without one: stop rather than continue unlogged.
            var path = LogPath;
            LogPath = null;
            lock (_gate)
            {
                if (_running is not null)
                {
                    // Mid-run: cancel and keep draining, so the error can say what the server did once the engine has ended.
                    _logFailure = (ex, path);
                    _cancellation?.Cancel();
                    return;
                }
            }
            ThrowTerminatingError(new ErrorRecord(ex, "LogFileWriteFailed",
                ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, path));
        }
    }
}
