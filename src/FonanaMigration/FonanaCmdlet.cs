using System.Management.Automation;
using FonanaMigration.Engine;

namespace FonanaMigration;

/// <summary>
/// Base of every FonanaMigration cmdlet: runs one engine call on a worker thread and, on the pipeline thread only,
/// drains its queue into Write-Verbose/Debug/Warning/Progress. Ctrl+C (StopProcessing) cancels the engine, which rolls back.
/// </summary>
public abstract class FonanaCmdlet : PSCmdlet
{
    private readonly object _gate = new();
    private CancellationTokenSource? _cancellation;
    private int _progressId;

    /// <summary>Seconds to wait for each server to accept a connection.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int ConnectTimeout { get; set; } = 15;

    protected T RunEngine<T>(Func<RunContext, Task<T>> work)
    {
        using var queue = new EngineMessageQueue();
        using var cancellation = new CancellationTokenSource();
        lock (_gate) _cancellation = cancellation;
        _progressId = Math.Abs(GetType().Name.GetHashCode()) % 10000 + 1;
        var context = RunContext.ForQueue(queue, includeDebug: IsDebugWanted(), cancellation.Token, ConnectTimeout);

        var task = Task.Run(() => work(context));
        task.ContinueWith(_ => queue.Complete(), TaskScheduler.Default);
        var progressShown = false;
        try
        {
            while (queue.TryTake(out var message, CancellationToken.None))
                progressShown |= Dispatch(message);
            return task.GetAwaiter().GetResult();
        }
        catch (MigrationException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw; // not reached: ThrowTerminatingError always throws
        }
        catch (OperationCanceledException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "OperationCancelled", ErrorCategory.OperationStopped, null));
            throw;
        }
        finally
        {
            lock (_gate) _cancellation = null;
            if (progressShown) CompleteProgress();
        }
    }

    protected override void StopProcessing()
    {
        lock (_gate) _cancellation?.Cancel();
    }

    internal static ErrorRecord ToErrorRecord(MigrationException ex) =>
        new(ex, ex.ErrorId, CategoryOf(ex.Kind), ex.TargetObject);

    internal static ErrorCategory CategoryOf(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.ConnectionFailed => ErrorCategory.ConnectionError,
        FailureKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.SchemaIncompatible => ErrorCategory.InvalidOperation,
        FailureKind.TargetNotEmpty => ErrorCategory.ResourceExists,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.VerificationFailed => ErrorCategory.InvalidResult,
        FailureKind.Cancelled => ErrorCategory.OperationStopped,
        FailureKind.ServerNotTrusted => ErrorCategory.SecurityError,
        _ => ErrorCategory.NotSpecified,
    };

    private bool IsDebugWanted() =>
        MyInvocation.BoundParameters.ContainsKey("Debug")
        || (GetVariableValue("DebugPreference") is ActionPreference pref && pref != ActionPreference.SilentlyContinue);

    /// <returns>True when the message was a progress update.</returns>
    private bool Dispatch(EngineMessage message)
    {
        switch (message.Level)
        {
            case EngineMessageLevel.Debug: WriteDebug(message.Text); return false;
            case EngineMessageLevel.Verbose: WriteVerbose(message.Text); return false;
            case EngineMessageLevel.Information: WriteInformation(message.Text, new[] { message.EventName }); return false;
            case EngineMessageLevel.Warning: WriteWarning(message.Text); return false;
            case EngineMessageLevel.Progress when message.Progress is { } p:
                var record = new ProgressRecord(_progressId, p.Activity, string.IsNullOrEmpty(p.Status) ? p.Activity : p.Status)
                {
                    PercentComplete = p.PercentComplete,
                    SecondsRemaining = p.Remaining is { } r ? (int)r.TotalSeconds : -1,
                    CurrentOperation = p.RowsTotal > 0 ? $"{p.RowsDone:N0} of {p.RowsTotal:N0} rows, {p.BytesDone / 1048576.0:N1} MiB" : null,
                    RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                };
                WriteProgress(record);
                return true;
            default: return false;
        }
    }

    private void CompleteProgress() =>
        WriteProgress(new ProgressRecord(_progressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });

    protected static TableFilter Filter(string[]? include, string[]? exclude) => new(include, exclude);

    // Endpoints this command has already warned about, so a pipeline of many records warns once per endpoint.
    private readonly HashSet<string> _warnedEndpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The endpoint as the command will use it: a credential, when given, replaces its user and password; and before
    /// anything connects, a link to a non-loopback host that does not require TLS is warned about (once per endpoint).
    /// Call it first in ProcessRecord, before ShouldProcess, so -WhatIf shows the warning too.
    /// </summary>
    protected DatabaseEndpoint PrepareEndpoint(DatabaseEndpoint endpoint, PSCredential? credential)
    {
        if (credential is not null && credential != PSCredential.Empty)
            endpoint = endpoint.WithCredential(credential.UserName, credential.GetNetworkCredential().Password);
        if (TransportSecurity.PlaintextWarning(endpoint) is { } warning && _warnedEndpoints.Add(endpoint.DisplayName))
            WriteWarning(warning);
        return endpoint;
    }
}
