using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>
/// The fast, atomic way to bulk-load tables that have foreign keys, without superuser rights: inside the load's
/// transaction, drop the foreign keys of the loaded tables and their plain (non-unique) indexes, load, rebuild the
/// indexes once, and re-add each foreign key, which PostgreSQL then validates with one join instead of one trigger
/// call per row. Needs the tables' owner (ALTER TABLE); a rollback puts everything back as it was.
/// </summary>
internal sealed class DeferredConstraints
{
    private static readonly EventId Deferred = new(420, "ConstraintsDeferred");
    private static readonly EventId Restored = new(421, "ConstraintsRestored");

    private DeferredConstraints(List<(QualifiedName Table, ConstraintSchema ForeignKey)> foreignKeys, List<(QualifiedName Table, IndexSchema Index)> indexes)
    {
        ForeignKeys = foreignKeys;
        Indexes = indexes;
    }

    public IReadOnlyList<(QualifiedName Table, ConstraintSchema ForeignKey)> ForeignKeys { get; }
    public IReadOnlyList<(QualifiedName Table, IndexSchema Index)> Indexes { get; }

    /// <summary>What can be deferred for these target tables: every foreign key they declare, and plain indexes of ordinary (non-partition) tables.</summary>
    public static DeferredConstraints Plan(IEnumerable<TableSchema> targetTables)
    {
        var tables = targetTables.ToList();
        var foreignKeys = tables.SelectMany(t => t.ForeignKeys.Select(fk => (t.QualifiedName, fk))).ToList();
        var indexes = tables.Where(t => t.PartitionOf is null && t.Kind == "r")
            .SelectMany(t => t.Indexes.Where(i => !i.IsUnique && !i.BacksConstraint).Select(i => (t.QualifiedName, i))).ToList();
        return new DeferredConstraints(foreignKeys, indexes);
    }

    /// <summary>Only a table's owner (or a member of the owning role) may drop and re-add its constraints.</summary>
    public static async Task<bool> CanDeferAsync(NpgsqlConnection connection, IEnumerable<QualifiedName> tables, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(bool_and(pg_has_role(c.relowner, 'USAGE')), true) FROM pg_class c WHERE c.oid = ANY(SELECT unnest(@names)::regclass)", connection);
        cmd.Parameters.AddWithValue("names", tables.Select(t => t.Sql).ToArray());
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
    }

    public async Task DropAsync(NpgsqlConnection connection, RunContext context)
    {
        foreach (var (table, fk) in ForeignKeys)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE ONLY {table.Sql} DROP CONSTRAINT {Identifier.Quote(fk.Name)}", context).ConfigureAwait(false);
        foreach (var (table, index) in Indexes)
            await Sql.ExecuteAsync(connection, $"DROP INDEX {Identifier.Quote(table.Schema)}.{Identifier.Quote(index.Name)}", context).ConfigureAwait(false);
        context.Logger.LogInformation(Deferred, "Deferred {ForeignKeys} foreign keys and {Indexes} indexes until the rows are in.", ForeignKeys.Count, Indexes.Count);
    }

    public async Task RestoreAsync(NpgsqlConnection connection, RunContext context, Action<string> onStep)
    {
        foreach (var (table, index) in Indexes)
        {
            onStep($"Rebuilding index {index.Name}");
            await Sql.ExecuteAsync(connection, index.Definition, context).ConfigureAwait(false);
        }
        foreach (var (table, fk) in ForeignKeys)
        {
            onStep($"Validating foreign key {fk.Name}");
            try
            {
                await Sql.ExecuteAsync(connection, $"ALTER TABLE ONLY {table.Sql} ADD CONSTRAINT {Identifier.Quote(fk.Name)} {fk.Definition}", context).ConfigureAwait(false);
            }
            catch (PostgresException pg) when (pg.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                // The same refusal a row-by-row check would give, only found in one pass: report it as a rejected row.
                throw new MigrationException(FailureKind.InvalidData, "TargetRejectedRow",
                    $"The rows of {table} break the foreign key {fk.Name} ({fk.Definition}): {pg.Detail ?? pg.MessageText}. Nothing was committed.", table.ToString(), pg);
            }
        }
        context.Logger.LogInformation(Restored, "Rebuilt {Indexes} indexes and re-validated {ForeignKeys} foreign keys.", Indexes.Count, ForeignKeys.Count);
    }
}
