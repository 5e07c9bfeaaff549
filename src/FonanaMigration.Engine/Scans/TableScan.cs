namespace FonanaMigration.Engine.Scans;

/// <summary>
/// The two queries every column check is made of: count offenders for many predicates in one pass over a table
/// (a pass per predicate would read the table again each time), then fetch a few keys for the predicates that hit.
/// Nothing but counts and a handful of keys ever leaves the server.
/// </summary>
internal static class TableScan
{
    /// <summary>FROM target for a table: ONLY for plain tables (inheritance children are tables of their own), all partitions for a partitioned one.</summary>
    public static string From(TableSchema table) => (table.Kind == "p" ? "" : "ONLY ") + table.QualifiedName.Sql;

    /// <summary>How findings and logs name a column: schema.table.column, quoted only where PostgreSQL needs it.</summary>
    public static string ColumnName(TableSchema table, string column) => $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(column)}";

    /// <returns>The table's row count and, per predicate, the rows that satisfy it.</returns>
    public static async Task<(long Rows, long[] Counts)> CountAsync(NpgsqlConnection connection, TableSchema table, IReadOnlyList<string> predicates, CancellationToken ct)
    {
        var sql = "SELECT count(*)" + string.Concat(predicates.Select(p => $", count(*) FILTER (WHERE {p})")) + $" FROM {From(table)} t";
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var counts = new long[predicates.Count];
        for (var i = 0; i < counts.Length; i++) counts[i] = reader.GetInt64(i + 1);
        return (reader.GetInt64(0), counts);
    }

    /// <summary>Keys of the first rows (in key order) that satisfy <paramref name="predicate"/>, with an optional extra text expression each.</summary>
    public static async Task<IReadOnlyList<(string Key, string? Extra)>> SampleAsync(NpgsqlConnection connection, TableSchema table, RowKey key,
        string predicate, int limit, CancellationToken ct, string? extra = null)
    {
        var sql = $"SELECT {key.Sql("t")} AS k, {extra ?? "NULL::text"} FROM {From(table)} t WHERE {predicate} ORDER BY 1 LIMIT {limit}";
        var result = new List<(string, string?)>();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return result;
    }
}
