namespace FonanaMigration.Engine.Transfer;

/// <summary>How a transactional load treats its target (shared by Import and Copy).</summary>
internal sealed class LoadOptions
{
    public required DatabaseEndpoint Target { get; init; }
    /// <summary>"Import" or "Copy": names the progress activity.</summary>
    public required string Activity { get; init; }
    public bool Clean { get; init; }
    public string? BackupPath { get; init; }
    /// <summary>Drop and re-add foreign keys and plain indexes around the load when the role owns the tables.</summary>
    public bool DeferConstraints { get; init; } = true;
}
