using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Rows whose foreign key points at nothing, for every foreign key constraint, validated or not. A constraint created
/// NOT VALID is not checked against existing rows, and triggers disabled during a load (session_replication_role)
/// skip the check too, so "there is a constraint" does not prove "there are no orphans". One anti-join per constraint.
/// </summary>
internal static class ForeignKeyOrphanCheck
{
    public static async Task RunAsync(IntegrityCheckContext scope)
    {
        // Foreign keys live on plain tables and on partitioned parents (their partitions inherit them).
        var owners = scope.Schema.Tables
            .Where(t => t.PartitionOf is null && t.ForeignKeys.Any() && scope.Request.Tables.Includes(t.QualifiedName))
            .OrderBy(t => t.QualifiedName.ToString(), StringComparer.Ordinal);
        foreach (var table in owners)
        {
            foreach (var fk in table.ForeignKeys.OrderBy(f => f.Name, StringComparer.Ordinal))
                await CheckAsync(scope, table, fk).ConfigureAwait(false);
            scope.Ran(IntegrityCheck.ForeignKeyOrphan, table);
        }
    }

    private static async Task CheckAsync(IntegrityCheckContext scope, TableSchema table, ConstraintSchema fk)
    {
        var parent = fk.ReferencedTable is { } name ? scope.Schema.FindTable(name) : null;
        if (parent is null) return; // a reference into a schema we cannot see; the server enforces what it can
        var key = RowKey.For(table);
        var missing = ForeignKeyOrphanCondition.Sql(fk, TableScan.From(parent));

        var sql = $"""
            SELECT count(*) OVER (), {key.Sql("c")} AS k FROM {TableScan.From(table)} c
            WHERE {missing}
            ORDER BY k LIMIT {scope.Request.SampleSize}
            """;
        long count = 0;
        var sample = new List<string>();
        await using (var cmd = new NpgsqlCommand(sql, scope.Connection))
        await using (var reader = await cmd.ExecuteReaderAsync(scope.CancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(scope.CancellationToken).ConfigureAwait(false))
            {
                count = reader.GetInt64(0);
                sample.Add(reader.GetString(1));
            }
        }
        scope.Context.Logger.LogInformation(EngineEvents.ForeignKeysChecked, "{Table} \"{Constraint}\": {Count} orphan row(s).", table.QualifiedName.ToString(), fk.Name, count);

        var reference = $"{parent.QualifiedName} ({string.Join(", ", fk.ReferencedColumns)})";
        if (count > 0)
        {
            scope.Add(new IntegrityFinding
            {
                Severity = IntegritySeverity.Error,
                Check = IntegrityCheck.ForeignKeyOrphan,
                Table = table.QualifiedName.ToString(),
                Column = string.Join(", ", fk.Columns),
                Count = count,
                Sample = sample,
                Message = $"{count} row(s) reference no row of {reference} through \"{fk.Name}\"" +
                          (fk.Validated ? "; the constraint is valid, so its triggers were bypassed (for example by a load with session_replication_role = replica)." : "; the constraint is NOT VALID, so the server never checked existing rows.") +
                          $" Keys ({key}): {string.Join(", ", sample)}.",
            });
        }
        else if (!fk.Validated)
        {
            scope.Add(new IntegrityFinding
            {
                Severity = IntegritySeverity.Info,
                Check = IntegrityCheck.ForeignKeyOrphan,
                Table = table.QualifiedName.ToString(),
                Column = string.Join(", ", fk.Columns),
                Message = $"\"{fk.Name}\" is NOT VALID, but every row satisfies it now: ALTER TABLE {table.QualifiedName.Sql} VALIDATE CONSTRAINT {Identifier.Quote(fk.Name)} would succeed.",
            });
        }
    }
}
