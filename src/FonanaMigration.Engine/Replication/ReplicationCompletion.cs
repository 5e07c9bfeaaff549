
using FonanaMigration.Engine.Verification;
namespace FonanaMigration.Engine.Replication;

/// <summary>What Complete-FonanaReplication did: every table verified, what it set up on the target, and the downtime it measured.</summary>
public sealed class ReplicationCompletion
{
    public string Name { get; init; } = "";
    public string Source { get; init; } = "";
    public string Target { get; init; } = "";
    /// <summary>True when every table's count and checksum matched and everything was removed.</summary>
    public bool Verified { get; init; }
    public long Rows { get; init; }
    public IReadOnlyList<RowCountComparison> TableResults { get; init; } = Array.Empty<RowCountComparison>();
    public int SequencesSet { get; init; }
    public int MaterializedViewsRefreshed { get; init; }
    public int ForeignKeysChecked { get; init; }
    /// <summary>From the moment the cut-over noted the source's last write position to the target ready and everything removed.</summary>
    public TimeSpan Downtime { get; init; }
    /// <summary>Of the downtime: how long the target took to apply the source's last writes.</summary>
    public TimeSpan CatchUp { get; init; }
    public ReplicationRemoval? Removed { get; init; }
}
