using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// The fast, atomic way to bulk-load tables, without superuser rights, the way pg_restore builds a schema: inside the
/// load's transaction, drop the loaded tables' foreign keys, primary keys, unique constraints and indexes, load, then
/// build each key and index once over all the rows, and re-add each foreign key, which PostgreSQL validates with one
/// join instead of one trigger call per row. Needs the tables' owner (ALTER TABLE); a rollback puts everything back.
/// Keys that a foreign key of a table outside the load depends on stay in place.
/// </summary>
internal sealed class DeferredConstraints
{
    private static readonly EventId Deferred = EngineEvents.ConstraintsDeferred;
    private static readonly EventId Restored = EngineEvents.ConstraintsRestored;

    private DeferredConstraints(List<(QualifiedName Table, ConstraintSchema ForeignKey)> foreignKeys,
        List<(QualifiedName Table, ConstraintSchema Key)> keys, List<(QualifiedName Table, IndexSchema Index)> indexes)
    {
        ForeignKeys = foreignKeys;
        Keys = keys;
        Indexes = indexes;
    }

    public IReadOnlyList<(QualifiedName Table, ConstraintSchema ForeignKey)> ForeignKeys { get; }
    /// <summary>Primary keys and unique constraints, rebuilt first so the foreign keys find their referenced keys.</summary>
    public IReadOnlyList<(QualifiedName Table, ConstraintSchema Key)> Keys { get; }
    /// <summary>Indexes that no constraint owns (Prisma's @unique and @@index are such indexes), unique or not.</summary>
    public IReadOnlyList<(QualifiedName Table, IndexSchema Index)> Indexes { get; }

    private readonly Dictionary<QualifiedName, TimeSpan> _rebuildTime = new();

    /// <summary>What this plan drops on <paramref name="table"/> and builds again.</summary>
    public RebuiltConstraints RebuiltOn(QualifiedName table) => new(
        Keys.Count(k => k.Table == table && k.Key.Type == "p"), Keys.Count(k => k.Table == table && k.Key.Type == "u"),
        Indexes.Count(i => i.Table == table), ForeignKeys.Count(f => f.Table == table));

    /// <summary>Time <see cref="RestoreAsync"/> spent building <paramref name="table"/>'s keys, indexes and foreign keys.</summary>
    public TimeSpan RebuildTimeOf(QualifiedName table) => _rebuildTime.GetValueOrDefault(table);

    /// <param name="loaded">The target tables being loaded.</param>
    /// <param name="all">Every table of the target, to find foreign keys from outside the load.</param>
    public static DeferredConstraints Plan(IReadOnlyList<TableSchema> loaded, IReadOnlyList<TableSchema> all)
    {
        var inLoad = loaded.Select(t => t.QualifiedName).ToHashSet();
        // A table referenced from outside the load keeps its keys: the outside foreign key depends on them.
        var referencedFromOutside = all.Where(t => !inLoad.Contains(t.QualifiedName))
            .SelectMany(t => t.ForeignKeys).Select(fk => fk.ReferencedTable).OfType<QualifiedName>().ToHashSet();
        // Partitions share their keys and indexes with the partitioned parent: those stay in place.
        var plain = loaded.Where(t => t.PartitionOf is null && t.Kind == "r" && !referencedFromOutside.Contains(t.QualifiedName)).ToList();

        var foreignKeys = loaded.SelectMany(t => t.ForeignKeys.Select(fk => (t.QualifiedName, fk))).ToList();
        var keys = plain.SelectMany(t => t.Constraints.Where(c => c.Type is "p" or "u").Select(c => (t.QualifiedName, c))).ToList();
        var indexes = plain.SelectMany(t => t.Indexes.Where(i => !i.BacksConstraint).Select(i => (t.QualifiedName, i)))
            .OrderByDescending(x => x.i.IsUnique).ToList();
        return new DeferredConstraints(foreignKeys, keys, indexes);
    }

    /// <summary>
    /// For a role that does not own the tables: only the foreign keys that close a cycle across tables (the load order
    /// takes care of the rest), dropped and re-added around the load the same way.
    /// </summary>
    public static DeferredConstraints ForeignKeysOnly(IEnumerable<(QualifiedName Table, ConstraintSchema ForeignKey)> foreignKeys) =>
        new(foreignKeys.ToList(), new List<(QualifiedName, ConstraintSchema)>(), new List<(QualifiedName, IndexSchema)>());

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
        foreach (var (table, key) in Keys)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE ONLY {table.Sql} DROP CONSTRAINT {Identifier.Quote(key.Name)}", context).ConfigureAwait(false);
        foreach (var (table, index) in Indexes)
            await Sql.ExecuteAsync(connection, $"DROP INDEX {Identifier.Quote(table.Schema)}.{Identifier.Quote(index.Name)}", context).ConfigureAwait(false);
        context.Logger.LogInformation(Deferred, "Deferred {ForeignKeys} foreign keys, {Keys} keys and {Indexes} indexes until the rows are in.", ForeignKeys.Count, Keys.Count, Indexes.Count);
    }

    public async Task RestoreAsync(NpgsqlConnection connection, RunContext context, Action<string> onStep)
    {
        // Rebuilding ALTERs the tables: their pending deferred trigger events must have fired first (else 55006).
        await PendingTriggerEvents.FireAsync(connection, ForeignKeys.Select(x => x.Table).Concat(Keys.Select(x => x.Table)).Concat(Indexes.Select(x => x.Table)), context).ConfigureAwait(false);
        foreach (var (table, key) in Keys)
        {
            onStep($"Building {key.TypeName} {key.Name}");
            await RejectingAsync(context, table, key.Name, () => Sql.ExecuteAsync(connection, $"ALTER TABLE ONLY {table.Sql} ADD CONSTRAINT {Identifier.Quote(key.Name)} {key.Definition}", context)).ConfigureAwait(false);
        }
        foreach (var (table, index) in Indexes)
        {
            onStep($"Building index {index.Name}");
            await RejectingAsync(context, table, index.Name, () => Sql.ExecuteAsync(connection, index.Definition, context)).ConfigureAwait(false);
        }
        foreach (var (table, fk) in ForeignKeys)
        {
            onStep($"Validating foreign key {fk.Name}");
            await RejectingAsync(context, table, fk.Name, () => Sql.ExecuteAsync(connection, $"ALTER TABLE ONLY {table.Sql} ADD CONSTRAINT {Identifier.Quote(fk.Name)} {fk.Definition}", context)).ConfigureAwait(false);
        }
        context.Logger.LogInformation(Restored, "Built {Keys} keys and {Indexes} indexes and re-validated {ForeignKeys} foreign keys.", Keys.Count, Indexes.Count, ForeignKeys.Count);
    }

    // A duplicate key or a broken reference found while rebuilding is the same refusal a row-by-row check would have
    // given, only found in one pass: report it as a rejected row, with the server's detail.
    private async Task RejectingAsync(RunContext context, QualifiedName table, string constraint, Func<Task> rebuild)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await rebuild().ConfigureAwait(false);
            // Each table's share of the rebuild, so its result's time covers all the work done for it.
            _rebuildTime[table] = RebuildTimeOf(table) + clock.Elapsed;
        }
        catch (PostgresException pg) when (pg.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.UniqueViolation)
        {
            throw new MigrationException(FailureKind.InvalidData, "TargetRejectedRow",
                $"The rows of {table} break {constraint}: {ServerErrorText.Describe(pg, context.IncludeRowValues)}. Nothing was committed.", table.ToString(),
                ServerErrorText.Inner(pg, context.IncludeRowValues));
        }
    }
}
