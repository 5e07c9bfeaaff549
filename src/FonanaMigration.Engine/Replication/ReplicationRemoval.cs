
namespace FonanaMigration.Engine.Replication;

/// <summary>What Stop-FonanaReplication (or a failed Start, or a completed cut-over) removed for one replication.</summary>
public sealed class ReplicationRemoval
{
    public string Name { get; init; } = "";
    public bool SubscriptionDropped { get; set; }
    public List<string> SlotsDropped { get; } = new();
    public bool PublicationDropped { get; set; }
    /// <summary>Tables whose replica identity was put back as it was before the migration (source and target).</summary>
    public List<string> ReplicaIdentitiesRestored { get; } = new();
    /// <summary>Target tables emptied by -Clean.</summary>
    public List<string> TablesEmptied { get; } = new();
}
