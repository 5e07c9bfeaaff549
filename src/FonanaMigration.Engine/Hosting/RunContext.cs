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

    public void Report(TransferProgress progress) => Progress?.Report(progress);
}
