using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Transfer;

public sealed class ExportRequest
{
    public required DatabaseEndpoint Source { get; init; }
    public required string Path { get; init; }
    public TableFilter Tables { get; init; } = TableFilter.All;
    /// <summary>Replace an existing file at <see cref="Path"/>; without it an existing file is an error.</summary>
    public bool Force { get; init; }
    /// <summary>How long to wait for each table's ACCESS SHARE lock; null: <see cref="SnapshotLocks.DefaultTimeout"/> (60 s).</summary>
    public TimeSpan? LockTimeout { get; init; }
}
