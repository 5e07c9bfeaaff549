namespace FonanaMigration.Engine.Transfer;

/// <summary>How one table's load went, in an import or a copy.</summary>
public sealed class TableLoadResult
{
    public string Table { get; init; } = "";
    public long Rows { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>Row count and content checksum on the target equal the archive's, checked before COMMIT.</summary>
    public bool Verified { get; init; }
}
