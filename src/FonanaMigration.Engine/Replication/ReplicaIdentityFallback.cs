
namespace FonanaMigration.Engine.Replication;

/// <summary>
/// What to do with a published table that has no replica identity (no primary key). Publishing such a table makes the
/// source's own UPDATE and DELETE on it fail, so the default is to refuse.
/// </summary>
public enum ReplicaIdentityFallback
{
    /// <summary>Refuse to start; name the tables.</summary>
    None,
    /// <summary>REPLICA IDENTITY USING INDEX on a unique, non-partial index over NOT NULL columns (on both servers).</summary>
    UniqueIndex,
    /// <summary>REPLICA IDENTITY FULL: the whole old row identifies it (more WAL; the target finds rows by scanning).</summary>
    Full,
}
