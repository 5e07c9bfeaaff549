namespace FonanaMigration.Engine.Tests;

/// <summary>A host that stands in for the cmdlet: it drains the engine's queue after the run and keeps every message.</summary>
public sealed class RecordingHost : IDisposable
{
    private readonly EngineMessageQueue _queue = new();

    public RecordingHost(CancellationToken cancellationToken = default)
    {
        Context = RunContext.ForQueue(_queue, includeDebug: true, cancellationToken);
    }

    public RunContext Context { get; }
    public List<EngineMessage> Messages { get; } = new();

    public IReadOnlyList<EngineMessage> Drain()
    {
        _queue.Complete();
        while (_queue.TryTake(out var message, CancellationToken.None)) Messages.Add(message);
        return Messages;
    }

    public void Dispose() => _queue.Dispose();
}
