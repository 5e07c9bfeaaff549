
using FonanaMigration.Engine.Selection;
namespace FonanaMigration.Engine.Replication;

/// <summary>Start-FonanaReplication: what to publish from where, and how the target server reaches the source.</summary>
public sealed class ReplicationStartRequest
{
    public required DatabaseEndpoint Source { get; init; }
    public required DatabaseEndpoint Target { get; init; }
    /// <summary>The source as the target server reaches it (null: the same as <see cref="Source"/>).</summary>
    public DatabaseEndpoint? SourceFromTarget { get; init; }
    public TableFilter Tables { get; init; } = TableFilter.All;
    /// <summary>Empty the target's tables first (in the transaction that creates the subscription).</summary>
    public bool Clean { get; init; }
    public ReplicaIdentityFallback ReplicaIdentity { get; init; } = ReplicaIdentityFallback.None;
}

/// <summary>Complete-FonanaReplication: the cut-over.</summary>
public sealed class ReplicationCompleteRequest
{
    public required DatabaseEndpoint Source { get; init; }
    public required DatabaseEndpoint Target { get; init; }
    /// <summary>Which replication (fonana_mig_…); null: the only one on the target.</summary>
    public string? Name { get; init; }
    /// <summary>How long to wait for the target to apply the source's last write.</summary>
    public TimeSpan CatchUpTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Stop-FonanaReplication: abort and remove everything.</summary>
public sealed class ReplicationStopRequest
{
    public DatabaseEndpoint? Source { get; init; }
    public DatabaseEndpoint? Target { get; init; }
    /// <summary>Which replication; null: every one this module made on the given servers.</summary>
    public string? Name { get; init; }
    /// <summary>Also empty the target's tables the subscription copied.</summary>
    public bool Clean { get; init; }
}

/// <summary>Get-FonanaReplication.</summary>
public sealed class ReplicationStatusRequest
{
    public required DatabaseEndpoint Target { get; init; }
    public DatabaseEndpoint? Source { get; init; }
    public string? Name { get; init; }
}
