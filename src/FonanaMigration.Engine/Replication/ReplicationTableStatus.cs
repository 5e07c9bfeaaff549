
namespace FonanaMigration.Engine.Replication;

/// <summary>One published table of a running replication, as the target's subscription sees it.</summary>
public sealed class ReplicationTableStatus
{
    public string Replication { get; init; } = "";
    public string Table { get; init; } = "";
    /// <summary>Initializing, Copying, CatchingUp or Ready (pg_subscription_rel.srsubstate i, d, f/s, r).</summary>
    public string State { get; init; } = "";
    /// <summary>The target's estimate of the rows it holds (pg_stat_user_tables.n_live_tup), summed over partitions.</summary>
    public long? Rows { get; init; }
    /// <summary>Where the table's copy ended and streaming took over (srsublsn), once known.</summary>
    public string? SyncLsn { get; init; }

    internal static string StateOf(string code) => code switch
    {
        "i" => "Initializing",
        "d" => "Copying",
        "f" or "s" => "CatchingUp",
        "r" => "Ready",
        _ => code,
    };
}
