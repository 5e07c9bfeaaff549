using Npgsql;


namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// The map's checks that need the source's rows or a server: every expression and From query is planned against the
/// source (LIMIT 0, each under its own savepoint so one failure does not hide the next), refused labels must hold no
/// rows, and each Drop's discarded values are counted. Runs inside the caller's transaction (the source snapshot for
/// Copy, the staged archive for Import) and leaves it usable.
/// </summary>
internal static class MapServerCheck
{
    /// <summary>Source tables and functions in map SQL are found by their schema's name, as in the application's own queries.</summary>
    public static string SearchPath(MappedLoad load, IEnumerable<QualifiedName> sourceTables) =>
        "SET search_path = " + string.Join(", ", sourceTables.Select(t => t.Schema).Concat(load.Plans.Select(p => p.Target.Schema))
            .Distinct(StringComparer.Ordinal).Select(Identifier.Quote).Append("pg_catalog"));

    public const string CatalogSearchPath = "SET search_path = pg_catalog";

    /// <param name="relation">The SQL name the source table's rows are read from (the table itself, or a staged copy).</param>
    /// <param name="castToTarget">Cast each value to its target column's type (only where the target's types exist: Import).</param>
    public static async Task<List<MapDrop>> RunAsync(NpgsqlConnection connection, MappedLoad load, Func<QualifiedName, string> relation, bool castToTarget, CancellationToken ct)
    {
        var problems = load.Problems;
        foreach (var plan in load.Plans.Where(p => p.From is not null))
        {
            var names = await TryAsync(connection, $"SELECT * FROM ({plan.From}) f LIMIT 0", r => Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToList(),
                error => problems.Add($"Tables['{Key(plan.Target.QualifiedName)}'].From does not run on the source: {error}"), ct).ConfigureAwait(false);
            if (names is null) continue;
            foreach (var name in names.Where(n => plan.Target.FindColumn(n) is not { IsGenerated: false }))
                problems.Add($"Tables['{Key(plan.Target.QualifiedName)}'].From returns a column '{name}' that {plan.Target.QualifiedName} does not have (name each column as the target does: AS \"{name}\").");
            foreach (var column in plan.Target.CopiedColumns.Where(c => !names.Contains(c.Name) && c.NotNull && c.Default is null && c.Identity.Length == 0))
                problems.Add($"Tables['{Key(plan.Target.QualifiedName)}'].From gives no value for {plan.Target.QualifiedName}.{Identifier.QuoteIfNeeded(column.Name)}, which is NOT NULL without a default.");
            // Target column order, so the rows, the COPY column list and both checksums agree.
            plan.Columns = plan.Target.CopiedColumns.Where(c => names.Contains(c.Name)).Select(c => (c.Name, "f." + Identifier.Quote(c.Name))).ToList();
        }

        foreach (var plan in load.Plans.Where(p => p.Rewritten && p.Source is not null))
        {
            var from = relation(plan.Source!.QualifiedName);
            var failed = false;
            foreach (var (column, expression) in plan.Columns.Where(c => !c.Expression.StartsWith("t.", StringComparison.Ordinal) && !c.Expression.StartsWith("CASE", StringComparison.Ordinal)))
            {
                var value = castToTarget ? $"{expression}::{plan.Target.FindColumn(column)!.DataType}" : expression;
                var ok = await TryAsync(connection, $"SELECT {value} FROM ONLY {from} t LIMIT 0", _ => true,
                    error => problems.Add($"Columns['{Key(plan.Target.QualifiedName)}.{column}'] does not work on the source's rows: {error}"), ct).ConfigureAwait(false);
                failed |= !ok;
            }
            if (!failed)
                await TryAsync(connection, plan.SelectSql(from, castToTarget) + " LIMIT 0", _ => true,
                    error => problems.Add($"The mapped rows of {plan.Target.QualifiedName} cannot be read from the source: {error}"), ct).ConfigureAwait(false);
        }
        if (castToTarget)
            foreach (var plan in load.Plans.Where(p => p.From is not null && p.Columns.Count > 0))
                await TryAsync(connection, plan.SelectSql(castToTarget: true) + " LIMIT 0", _ => true,
                    error => problems.Add($"Tables['{Key(plan.Target.QualifiedName)}'].From gives values the target's columns cannot take: {error}"), ct).ConfigureAwait(false);

        foreach (var (table, column, label) in load.Refused)
        {
            var quoted = "t." + Identifier.Quote(column.Name);
            var test = column.IsArray ? $"{MigrationMapValidator.Literal(label)} = ANY({quoted}::text[])" : $"{quoted}::text = {MigrationMapValidator.Literal(label)}";
            var rows = await TryAsync(connection, $"SELECT count(*) FROM ONLY {relation(table.QualifiedName)} t WHERE {test}", r => r.GetInt64(0), _ => { }, ct).ConfigureAwait(false);
            if (rows > 0)
                problems.Add($"{rows} row(s) of {table.QualifiedName} hold '{label}' in {Identifier.QuoteIfNeeded(column.Name)}, a label the map refuses (RefuseRows).");
        }

        var drops = new List<MapDrop>();
        foreach (var key in load.Drops)
        {
            var sql = key.Column is null
                ? $"SELECT count(*) FROM ONLY {relation(key.Table)}"
                : $"SELECT count({Identifier.Quote(key.Column)}) FROM ONLY {relation(key.Table)}";
            var count = await TryAsync(connection, sql, r => r.GetInt64(0), error => problems.Add($"Counting what dropping {key} discards failed: {error}"), ct).ConfigureAwait(false);
            drops.Add(new MapDrop { Object = key.ToString(), Kind = key.Column is null ? "Table" : "Column", Discarded = count });
        }
        return drops;
    }

    private static string Key(QualifiedName name) => $"{name.Schema}.{name.Name}";

    // One statement under a savepoint: a failure is reported and rolled back to the savepoint, so the transaction goes on.
    private static async Task<T?> TryAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, Action<string> onError, CancellationToken ct)
    {
        await using (var save = new NpgsqlCommand("SAVEPOINT fonana_map_check", connection)) await save.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        try
        {
            T result;
            await using (var cmd = new NpgsqlCommand(sql, connection))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                result = read(reader);
            }
            await using (var release = new NpgsqlCommand("RELEASE SAVEPOINT fonana_map_check", connection)) await release.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return result;
        }
        catch (PostgresException pg) when (pg.SqlState is not "57014")
        {
            await using (var back = new NpgsqlCommand("ROLLBACK TO SAVEPOINT fonana_map_check", connection)) await back.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            // The server's message only: LIMIT 0 and count(*) evaluate no row, so no row value can appear in it.
            onError(pg.MessageText + (pg.Hint is null ? "" : $" ({pg.Hint})"));
            return default;
        }
    }
}
