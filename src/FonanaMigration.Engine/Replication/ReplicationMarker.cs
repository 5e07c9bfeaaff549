using System.Text.Json;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// What a later session needs to undo a migration's changes, kept as the COMMENT of the publication (source) and of the
/// subscription (target): the replica identities it set on each side. A new session reads it back from either server.
/// </summary>
internal sealed class ReplicationMarker
{
    private const string Lead = "FonanaMigration online migration; do not edit: ";

    public List<ReplicaIdentityChange> SourceIdentities { get; init; } = new();
    public List<ReplicaIdentityChange> TargetIdentities { get; init; } = new();

    /// <summary>The subscription's oid on the target, so its table-sync slots (pg_&lt;oid&gt;_sync_…) can be found from the source alone.</summary>
    public uint? SubscriptionOid { get; set; }

    public string ToComment() => Lead + JsonSerializer.Serialize(this);

    public static ReplicationMarker Parse(string? comment)
    {
        var start = comment?.IndexOf('{') ?? -1;
        if (comment is null || start < 0) return new ReplicationMarker();
        try
        {
            return JsonSerializer.Deserialize<ReplicationMarker>(comment[start..]) ?? new ReplicationMarker();
        }
        catch (JsonException)
        {
            return new ReplicationMarker();
        }
    }
}
