
namespace FonanaMigration.Engine.Replication;

/// <summary>
/// A replica identity the module set on one table for the migration, and what it was before, so completion or abort
/// (from any session) can put it back.
/// </summary>
public sealed record ReplicaIdentityChange(string Schema, string Table, string Previous, string? Index)
{
    public QualifiedName QualifiedName => new(Schema, Table);

    /// <summary>The clause that was applied: USING INDEX "x" or FULL.</summary>
    internal string AppliedSql => Index is null ? "FULL" : "USING INDEX " + Identifier.Quote(Index);

    /// <summary>relreplident before: d (default: the primary key, here none) or n (nothing).</summary>
    internal string RestoreSql => $"ALTER TABLE {QualifiedName.Sql} REPLICA IDENTITY {(Previous == "n" ? "NOTHING" : "DEFAULT")}";

    internal string ApplySql => $"ALTER TABLE {QualifiedName.Sql} REPLICA IDENTITY {AppliedSql}";
}
