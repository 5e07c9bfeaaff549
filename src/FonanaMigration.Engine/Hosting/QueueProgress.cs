namespace FonanaMigration.Engine.Hosting;

/// <summary>Progress that goes through the same queue as log lines, so the host sees both in order on its own thread.</summary>
public sealed class QueueProgress : IProgress<TransferProgress>
{
    private readonly EngineMessageQueue _queue;

    public QueueProgress(EngineMessageQueue queue) => _queue = queue;

    public void Report(TransferProgress value) =>
        _queue.Add(new EngineMessage(EngineMessageLevel.Progress, "Progress", value.Status, value));
}
