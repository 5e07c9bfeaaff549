using System.Security.Cryptography;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Every object an online migration creates (publication, slot, subscription) carries one name, fonana_mig_ and eight
/// hex digits, so that a new session, or a person reading pg_replication_slots, can tell ours from anyone else's.
/// </summary>
public static class ReplicationNames
{
    public const string Prefix = "fonana_mig_";

    /// <summary>LIKE pattern for names this module made (the underscores escaped).</summary>
    internal const string LikePattern = @"fonana\_mig\_%";

    internal static string New() => Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public static bool IsOurs(string? name) => name is not null && name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The slots PostgreSQL 14+ table-sync workers make for a subscription: pg_&lt;suboid&gt;_sync_&lt;relid&gt;_&lt;sysid&gt;.</summary>
    internal static string SyncSlotLikePattern(uint subscriptionOid) => $@"pg\_{subscriptionOid}\_sync\_%";
}
