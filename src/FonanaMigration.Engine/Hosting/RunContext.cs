using Microsoft.Extensions.Logging.Abstractions;

namespace FonanaMigration.Engine.Hosting;

/// <summary>
/// What one engine call gets from its host: a logger, a progress sink and a cancellation token. Confirmation stays
/// with the host (ShouldProcess before the call), so the engine never asks mid-run.
/// The engine holds no statics: a host builds one of these per call and cancels it from its stop handler.
/// </summary>
public sealed class RunContext
{
    public RunContext(ILogger? logger = null, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Logger = logger ?? NullLogger.Instance;
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>A context whose logs and progress all go to <paramref name="queue"/>, for a host that drains it on its own thread.</summary>
    public static RunContext ForQueue(EngineMessageQueue queue, bool includeDebug, CancellationToken cancellationToken, int connectTimeoutSeconds = 15) =>
        new(new QueueLogger(queue, includeDebug), new QueueProgress(queue), cancellationToken) { ConnectTimeoutSeconds = connectTimeoutSeconds };

    /// <summary>
    /// A context that reports nothing, for quick lookups such as tab completion. A host calls this rather than the
    /// constructor so that it never names ILogger, whose assembly it cannot see (it lives in the engine's load context).
    /// </summary>
    public static RunContext Silent(CancellationToken cancellationToken, int connectTimeoutSeconds = 15) =>
        new(null, null, cancellationToken) { ConnectTimeoutSeconds = connectTimeoutSeconds };

    public ILogger Logger { get; }
    public IProgress<TransferProgress>? Progress { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>How long to wait for a server to answer a connection attempt; a URI's connect_timeout is overridden by it.</summary>
    public int ConnectTimeoutSeconds { get; init; } = 15;

    /// <summary>True when the user gave the connect timeout explicitly: it then wins over a URI's connect_timeout.</summary>
    public bool ConnectTimeoutGiven { get; init; }

    /// <summary>
    /// Whether errors and logs may quote row values (the server's error detail: keys, emails, COPY lines). Off unless
    /// the user asks, because logs and errors travel further than the data should.
    /// </summary>
    public bool IncludeRowValues { get; init; }

    /// <summary>How long a COPY stream may move no bytes before the run is cancelled as stalled (null: never).</summary>
    public TimeSpan? StallTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>A copy with the host's choices on connect timeout, row values in errors and stall detection.</summary>
    public RunContext WithOptions(bool connectTimeoutGiven, bool includeRowValues, TimeSpan? stallTimeout) =>
        new(Logger, Progress, CancellationToken)
        {
            ConnectTimeoutSeconds = ConnectTimeoutSeconds,
            ConnectTimeoutGiven = connectTimeoutGiven,
            IncludeRowValues = includeRowValues,
            StallTimeout = stallTimeout ?? StallTimeout,
        };

    public void Report(TransferProgress progress) => Progress?.Report(progress);
}
