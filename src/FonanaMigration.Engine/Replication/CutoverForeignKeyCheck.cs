using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// The apply worker runs with session_replication_role = replica, so the target's foreign-key triggers never fired for
/// the replicated rows. At cut-over every foreign key of the migrated tables is checked with one anti-join each (the
/// integrity check's condition, MATCH FULL included).
/// </summary>
internal static class CutoverForeignKeyCheck
{
    /// <returns>How many foreign keys were checked, and those with rows pointing at nothing ("constraint on table: N row(s)").</returns>
    public static async Task<(int Checked, List<string> Violated)> RunAsync(NpgsqlConnection target, SchemaSnapshot schema, IReadOnlyCollection<QualifiedName> tables, CancellationToken ct)
    {
        // Foreign keys live on plain tables and on partitioned parents; a partition inherits its parent's.
        bool Migrated(TableSchema t) => tables.Contains(t.QualifiedName) || schema.Tables.Any(p => p.PartitionOf == t.QualifiedName && Migrated(p));
        var owners = schema.Tables.Where(t => t.PartitionOf is null && t.ForeignKeys.Any() && Migrated(t));
        var count = 0;
        var violated = new List<string>();
        foreach (var table in owners)
        {
            foreach (var fk in table.ForeignKeys)
            {
                if (fk.ReferencedTable is not { } parent) continue;
                var orphans = await ServerStatement.ScalarAsync<long>(target,
                    $"SELECT count(*) FROM {table.QualifiedName.Sql} c WHERE {ForeignKeyOrphanCondition.Sql(fk, parent.Sql)}", ct).ConfigureAwait(false);
                count++;
                if (orphans > 0) violated.Add($"{fk.Name} on {table.QualifiedName}: {orphans} row(s)");
            }
        }
        return (count, violated);
    }
}
