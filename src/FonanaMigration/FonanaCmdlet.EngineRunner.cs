using System.Management.Automation;
using FonanaMigration.Engine.Errors;
using FonanaMigration.Engine.Hosting;

namespace FonanaMigration;

/// <summary>The engine runner: one engine call on a worker thread, its queue drained on the pipeline thread, stop and dispose.</summary>
public abstract partial class FonanaCmdlet
{
    protected T RunEngine<T>(Func<RunContext, Task<T>> work)
    {
        using var queue = new EngineMessageQueue();
        using var cancellation = new CancellationTokenSource();
        _progressId = Math.Abs(GetType().Name.GetHashCode()) % 10000 + 1;
        // The log file gets the Debug detail (statements, timings) even when the console does not ask for it.
        var context = RunContext.ForQueue(queue, includeDebug: IsDebugWanted() || LogPath is not null, cancellation.Token, ConnectTimeout)
            .WithOptions(MyInvocation.BoundParameters.ContainsKey(nameof(ConnectTimeout)), RowValuesWanted, StallLimit);

        _logFailure = null;
        var task = Task.Run(() => work(context));
        lock (_gate) { _cancellation = cancellation; _running = task; }
        task.ContinueWith(_ => queue.Complete(), TaskScheduler.Default);
        var progressShown = false;
        try
        {
            try
            {
                while (queue.TryTake(out var message, CancellationToken.None))
                    progressShown |= Dispatch(message);
            }
            catch (Exception)
            {
                // Writing to the pipeline failed (Ctrl+C stops it; PipelineStoppedException): the engine must not run on
                // unobserved and commit after the user was told the command stopped.
                var end = EngineStop.CancelAndWait(cancellation, task);
                TellAfterInterruption(end);
                throw;
            }
            if (_logFailure is { } logFailure) return EndAfterLogFailure(task, logFailure);
            var result = task.GetAwaiter().GetResult();
            // Ctrl+C came too late: the run finished first. Say so, since the result may no longer reach the pipeline.
            if (cancellation.IsCancellationRequested) TellAfterInterruption(EngineEnd.Completed);
            return result;
        }
        catch (MigrationException ex)
        {
            Fail(ToErrorRecord(ex));
            throw; // not reached: Fail always throws
        }
        catch (OperationCanceledException ex)
        {
            Fail(new ErrorRecord(ex, "OperationCancelled", ErrorCategory.OperationStopped, null));
            throw;
        }
        finally
        {
            // Every way out (error, stop, a throw from a Write*) waits for the engine; normally it has long finished.
            if (!task.IsCompleted) EngineStop.CancelAndWait(cancellation, task);
            lock (_gate) { _cancellation = null; _running = null; }
            if (progressShown) CompleteProgress();
        }
    }

    /// <summary>After a stop or a host failure: tell the user what the engine did, on the host (the pipeline may be gone) and in the log.</summary>
    private void TellAfterInterruption(EngineEnd end)
    {
        var text = end switch
        {
            EngineEnd.Completed => EngineStop.CompletedAnyway(MyInvocation.MyCommand.Name),
            EngineEnd.StillRunning => EngineStop.StillRunning(MyInvocation.MyCommand.Name),
            _ => null,
        };
        if (text is null) return;
        try { WriteLog("Warning", end == EngineEnd.Completed ? "CompletedWhileStopping" : "OutcomeUnknown", text); } catch (Exception) { }
        try { Host.UI.WriteWarningLine(text); } catch (Exception) { }
    }

    /// <summary>The log failed mid-run and the engine was cancelled; it has ended now. The error says what the server did.</summary>
    private T EndAfterLogFailure<T>(Task<T> task, (Exception Error, string Path) failure)
    {
        var category = failure.Error is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError;
        var said = $"The log file '{failure.Path}' could not be written ({failure.Error.Message})";
        if (task.IsCompletedSuccessfully)
        {
            // Finished before it saw the cancel: the work stands, so the result is written and the error says so.
            WriteObject(task.Result, enumerateCollection: true);
            ThrowTerminatingError(new ErrorRecord(failure.Error, "LogFileWriteFailed", category, failure.Path)
            {
                ErrorDetails = new ErrorDetails($"{said}, but the run had already completed before it could be stopped: its work is done (an import or copy is committed and verified) and its result was written to the pipeline."),
            });
        }
        var engineError = task.Exception?.GetBaseException();
        if (!EngineStop.IsCancellation(engineError)) return task.GetAwaiter().GetResult(); // the engine's own failure is the outcome
        ThrowTerminatingError(new ErrorRecord(failure.Error, "LogFileWriteFailed", category, failure.Path)
        {
            ErrorDetails = new ErrorDetails($"{said}, so the run was cancelled before it completed and rolled back: nothing was committed."),
        });
        throw new InvalidOperationException(); // not reached
    }

    /// <summary>PowerShell disposes a command when its pipeline ends, however it ends: never leave an engine running behind it.</summary>
    public void Dispose()
    {
        CancellationTokenSource? cancellation;
        Task? running;
        lock (_gate) { cancellation = _cancellation; running = _running; }
        if (running is { IsCompleted: false }) EngineStop.CancelAndWait(cancellation, running);
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing()
    {
        lock (_gate) _cancellation?.Cancel();
    }

    private bool IsDebugWanted() =>
        MyInvocation.BoundParameters.ContainsKey("Debug")
        || (GetVariableValue("DebugPreference") is ActionPreference pref && pref != ActionPreference.SilentlyContinue);

    /// <returns>True when the message was a progress update.</returns>
    private bool Dispatch(EngineMessage message)
    {
        if (message.Level != EngineMessageLevel.Progress) WriteLog(message.Level.ToString(), message.EventName, message.Text, message.Data);
        switch (message.Level)
        {
            case EngineMessageLevel.Debug: WriteDebug(message.Text); return false;
            case EngineMessageLevel.Verbose: WriteVerbose(message.Text); return false;
            case EngineMessageLevel.Warning: WriteWarning(message.Text); return false;
            case EngineMessageLevel.Progress when message.Progress is { } p:
                var record = new ProgressRecord(_progressId, p.Activity, string.IsNullOrEmpty(p.Status) ? p.Activity : p.Status)
                {
                    PercentComplete = p.PercentComplete,
                    SecondsRemaining = p.Remaining is { } r ? (int)r.TotalSeconds : -1,
                    CurrentOperation = p.RowsTotal > 0
                        ? $"{p.RowsDone:N0} of {p.RowsTotal:N0} rows{(p.Table is null ? "" : $"; {p.Table}: {p.BytesDone / 1048576.0:N1} MiB")}"
                        : null,
                    RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                };
                WriteProgress(record);
                return true;
            default: return false;
        }
    }

    private void CompleteProgress() =>
        WriteProgress(new ProgressRecord(_progressId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
}
