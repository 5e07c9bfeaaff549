using System.Collections.Concurrent;

namespace FonanaMigration.Engine.Hosting;

/// <summary>
/// Engine threads only ever add to this queue; the host's own thread drains it. That keeps PowerShell's rule that
/// Write* is called on the pipeline thread alone, whatever thread the async engine happens to run on.
/// </summary>
public sealed class EngineMessageQueue : IDisposable
{
    private readonly BlockingCollection<EngineMessage> _messages = new();

    public void Add(EngineMessage message)
    {
        // A message that arrives after the run completed has nobody to read it; dropping it is harmless.
        try { _messages.Add(message); }
        catch (InvalidOperationException) { }
    }

    public void Complete() => _messages.CompleteAdding();

    /// <summary>Blocks until a message arrives or the queue completes; false when it completed and is empty.</summary>
    public bool TryTake(out EngineMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return _messages.TryTake(out message!, Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            message = null!;
            return false;
        }
    }

    public void Dispose() => _messages.Dispose();
}
