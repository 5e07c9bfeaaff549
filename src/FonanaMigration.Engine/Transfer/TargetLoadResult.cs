using FonanaMigration.Engine.Sequences;

using FonanaMigration.Engine.Mapping;
namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// What Import-FonanaDatabase or Copy-FonanaDatabase did. Carries the archive Path (import) or the Source endpoint
/// (copy) and the Target endpoint, passwords kept private, so it pipes straight into Assert-FonanaRowCount.
/// </summary>
public sealed class TargetLoadResult
{
    /// <summary>The archive that was imported; null for a copy.</summary>
    public string? Path { get; internal set; }
    /// <summary>The server copied from; null for an import.</summary>
    public DatabaseEndpoint? Source { get; internal set; }
    public DatabaseEndpoint Target { get; init; } = null!;
    public IReadOnlyList<TableLoadResult> Tables { get; init; } = Array.Empty<TableLoadResult>();
    public int TableCount => Tables.Count;
    /// <summary>Materialized views that read a loaded table: refreshed inside the transaction, or left unpopulated as on the source.</summary>
    public IReadOnlyList<MaterializedViewResult> MaterializedViews { get; init; } = Array.Empty<MaterializedViewResult>();
    public long RowCount => Tables.Sum(t => t.Rows);
    /// <summary>Every table's count and checksum matched the archive inside the transaction, before COMMIT.</summary>
    public bool Verified { get; init; }
    public bool Cleaned { get; init; }
    public string? BackupPath { get; init; }
    /// <summary>Target sequences moved past the loaded rows (serial, identity and DEFAULT nextval ones), with old and new values.</summary>
    public IReadOnlyList<MovedSequence> Sequences { get; init; } = Array.Empty<MovedSequence>();
    /// <summary>With a migration map: what each Drop entry discarded (non-NULL values of a column, rows of a table).</summary>
    public IReadOnlyList<MapDrop> Dropped { get; init; } = Array.Empty<MapDrop>();
    public TimeSpan Elapsed { get; init; }
}
