using FonanaMigration.Engine.Sequences;

namespace FonanaMigration.Engine.Transfer;

/// <summary>How one table's load went, in an import or a copy.</summary>
public sealed class TableLoadResult
{
    public string Table { get; init; } = "";
    public long Rows { get; init; }
    /// <summary>Bytes streamed into the target's COPY (an import: the archive entry's size); 0 when a migration map rewrote the table on the target with INSERT … SELECT.</summary>
    public long Bytes { get; init; }
    /// <summary>Time its rows took to stream in.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Time rebuilding its keys, indexes and foreign keys once all rows were in (zero when none was dropped).</summary>
    public TimeSpan RebuildElapsed { get; init; }
    /// <summary>Row count and content checksum on the target equal the archive's, checked before COMMIT.</summary>
    public bool Verified { get; init; }
    /// <summary>It held rows before the load, which -Clean removed (TRUNCATE in the same transaction).</summary>
    public bool Cleaned { get; init; }
    /// <summary>Its rows were written with COPY FREEZE (already frozen, pages all-visible).</summary>
    public bool Frozen { get; init; }
    /// <summary>The keys, indexes and foreign keys the load dropped and built again once the rows were in.</summary>
    public RebuiltConstraints Rebuilt { get; init; } = RebuiltConstraints.None;
    /// <summary>Target sequences its columns draw from that the load moved (a shared one appears on every table using it).</summary>
    public IReadOnlyList<MovedSequence> Sequences { get; init; } = Array.Empty<MovedSequence>();
}
