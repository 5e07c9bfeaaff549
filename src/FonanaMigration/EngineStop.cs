using FonanaMigration.Engine.Errors;

namespace FonanaMigration;

/// <summary>How an engine run ended once the host stopped waiting on its messages.</summary>
internal enum EngineEnd
{
    /// <summary>It finished its work (a load committed and verified) before it saw the cancellation.</summary>
    Completed,
    /// <summary>It failed or was cancelled: a load rolled back.</summary>
    Failed,
    /// <summary>It did not finish within the wait: its outcome is unknown.</summary>
    StillRunning,
}

/// <summary>
/// Cancels an engine run and waits, bounded, for its rollback and cleanup, so no cmdlet returns while work it started
/// may still commit or write.
/// </summary>
internal static class EngineStop
{
    /// <summary>Long enough for a rollback and a cancelled COPY (Npgsql breaks a connection whose cancel goes unanswered).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    public static EngineEnd CancelAndWait(CancellationTokenSource? cancellation, Task? task)
    {
        if (task is null) return EngineEnd.Failed;
        try { cancellation?.Cancel(); }
        catch (ObjectDisposedException) { } // the run already ended and let go of its token
        try
        {
            if (!task.Wait(WaitLimit)) return EngineEnd.StillRunning;
        }
        catch (AggregateException) { }
        return task.IsCompletedSuccessfully ? EngineEnd.Completed : EngineEnd.Failed;
    }

    /// <summary>The sentence that tells the user the engine finished although the command was stopped or failed.</summary>
    public static string CompletedAnyway(string command) =>
        $"{command} had already completed when it was stopped: its work is done (an import or copy is committed and verified). " +
        "Check with Assert-FonanaCounts.";

    public static string StillRunning(string command) =>
        $"{command} was stopped, but its engine did not finish within {WaitLimit.TotalSeconds:0} seconds of the cancel: whether the target " +
        "committed is unknown. Check the target with Assert-FonanaCounts before running it again.";

    /// <summary>Whether an engine failure is the cancellation the host asked for (and so a rollback, not a fault of its own).</summary>
    public static bool IsCancellation(Exception? error) =>
        error is OperationCanceledException or MigrationException { Kind: FailureKind.Cancelled };
}
