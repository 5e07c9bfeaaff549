
namespace FonanaMigration.Engine.Transfer;

/// <summary>How a materialized view of the target ended after a load: refreshed to match the source, or left unpopulated as on the source.</summary>
public sealed class MaterializedViewResult
{
    public string Name { get; init; } = "";
    /// <summary>Populated on the target after the load (as it was on the source).</summary>
    public bool Populated { get; init; }
    /// <summary>Rows on the target after the refresh; null when unpopulated.</summary>
    public long? Rows { get; init; }
    /// <summary>Rows of the source's view; null when unknown (an archive from before views were recorded) or unpopulated.</summary>
    public long? ExpectedRows { get; init; }
    /// <summary>
    /// Count and content checksum equal the source's view. False when the source's view was stale (refreshed before its
    /// tables last changed) or its query is not deterministic; null when there was nothing to compare.
    /// </summary>
    public bool? MatchesSource { get; init; }
}
