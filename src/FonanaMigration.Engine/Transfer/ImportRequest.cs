using FonanaMigration.Engine.Selection;

using FonanaMigration.Engine.Mapping;
namespace FonanaMigration.Engine.Transfer;

public sealed class ImportRequest
{
    public required DatabaseEndpoint Target { get; init; }
    public required string Path { get; init; }
    public TableFilter Tables { get; init; } = TableFilter.All;
    /// <summary>Empty the archive's tables on the target first (inside the same transaction). Without it, a target holding rows is refused.</summary>
    public bool Clean { get; init; }
    /// <summary>With <see cref="Clean"/>: export what the target holds to this archive before anything is changed.</summary>
    public string? BackupPath { get; init; }
    /// <summary>Drop and re-add foreign keys and plain indexes around the load (when the role owns the tables): much faster, equally atomic.</summary>
    public bool DeferConstraints { get; init; } = true;
    /// <summary>Move the rows through this migration map (a drifted source); null moves them as they are.</summary>
    public MigrationMap? Map { get; init; }
}
