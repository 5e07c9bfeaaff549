namespace FonanaMigration.Engine.Verification;

/// <summary>One table's (or named query's) count on the expected side against the actual side.</summary>
public sealed class RowCountComparison
{
    /// <summary>schema.table for tables, the given name for queries.</summary>
    public string Name { get; init; } = "";
    /// <summary>Table or Query.</summary>
    public string Kind { get; init; } = "Table";
    public long? Expected { get; init; }
    public long? Actual { get; init; }
    public string? ExpectedChecksum { get; init; }
    public string? ActualChecksum { get; init; }
    /// <summary>How both checksums were computed (row-text-v1 or typed-hash-v1); null when no checksum was compared.</summary>
    public string? ChecksumAlgorithm { get; init; }
    /// <summary>Null when checksums were not asked for (or cannot exist, as for queries).</summary>
    public bool? ChecksumMatch => ExpectedChecksum is null || ActualChecksum is null ? null : ExpectedChecksum == ActualChecksum;
    public bool Match => Expected is not null && Expected == Actual && ChecksumMatch != false;
    public string? Note { get; init; }
}
