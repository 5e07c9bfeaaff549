
namespace FonanaMigration.Engine.Replication;

/// <summary>One online migration as a whole: where it stands, how far the target is behind, what the source retains for it.</summary>
public sealed class ReplicationStatus
{
    /// <summary>The name of its publication, slot and subscription (fonana_mig_…).</summary>
    public string Name { get; init; } = "";
    public string Target { get; init; } = "";
    public string? Source { get; init; }
    /// <summary>Copying, CatchingUp, Ready, Disabled, NotStarted, or Orphaned (a publication or slot on the source without its subscription).</summary>
    public string State { get; init; } = "";
    public bool? Enabled { get; init; }
    public int Tables { get; init; }
    public int TablesReady { get; init; }
    /// <summary>WAL the target has not yet confirmed (source's current position minus the slot's confirmed position); needs -Source.</summary>
    public long? BytesBehind { get; init; }
    /// <summary>Seconds since the target last confirmed a position, while it is behind (0 when caught up); needs -Source.</summary>
    public double? SecondsBehind { get; init; }
    /// <summary>WAL the source keeps for the slot (current position minus restart_lsn); needs -Source.</summary>
    public long? RetainedWalBytes { get; init; }
    /// <summary>Errors the apply worker hit (pg_stat_subscription_stats); the messages are in the target server's log.</summary>
    public long? ApplyErrors { get; init; }
    /// <summary>Errors the table-copy workers hit.</summary>
    public long? SyncErrors { get; init; }
    public bool? SlotExists { get; init; }
    public bool? SlotActive { get; init; }
    public bool? PublicationExists { get; init; }
    public IReadOnlyList<ReplicationTableStatus> TableStatus { get; init; } = Array.Empty<ReplicationTableStatus>();
    /// <summary>Schema differences that appeared since the start (DDL is not replicated), when -Source is given.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public bool IsReady => State == "Ready";
}
