using FonanaMigration.Engine.Selection;

using FonanaMigration.Engine.Mapping;
namespace FonanaMigration.Engine.Transfer;

public sealed class CopyRequest
{
    public required DatabaseEndpoint Source { get; init; }
    public required DatabaseEndpoint Target { get; init; }
    public TableFilter Tables { get; init; } = TableFilter.All;
    public bool Clean { get; init; }
    public string? BackupPath { get; init; }
    public bool DeferConstraints { get; init; } = true;
    /// <summary>Move the rows through this migration map (a drifted source); null moves them as they are.</summary>
    public MigrationMap? Map { get; init; }
}
