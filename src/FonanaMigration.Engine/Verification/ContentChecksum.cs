namespace FonanaMigration.Engine.Verification;

/// <summary>
/// Row count plus an order-independent content checksum of a table, computed by the server itself: each row's text
/// form (under <see cref="SessionSettings"/>, so two servers print the same value the same way) is hashed, and the
/// hashes are summed, so physical row order never matters and nothing is sorted or held in memory. Identical rows
/// count twice (a sum, not an XOR), so a duplicated or lost duplicate row changes the checksum.
/// </summary>
public sealed record ContentChecksum(long Rows, string Checksum)
{
    internal static string Sql(QualifiedName table, IReadOnlyList<string> columns)
    {
        var row = columns.Count == 0 ? "''" : "ROW(" + string.Join(", ", columns.Select(c => "t." + Identifier.Quote(c))) + ")::text";
        return Over(row, $"ONLY {table.Sql} t");
    }

    /// <summary>The same checksum over any SELECT's rows (a migration map's mapped rows): equal to the table's when it returns the same values.</summary>
    internal static string SqlOver(string select) => Over("ROW(q.*)::text", $"({select}) q");

    private static string Over(string row, string from)
    {
        // Each row's text is hashed twice with PostgreSQL's 64-bit text hash (hashtextextended, the function hash
        // partitioning relies on, so it is stable across servers and versions) and the hashes are summed as numeric
        // (no overflow, order-independent), then folded into one hex string. About three times cheaper than md5 per
        // row. OFFSET 0 keeps the row's text computed once for both hashes.
        return $"""
            SELECT count(*), md5(count(*)::text || ':' || COALESCE(sum(hashtextextended(r, 0)::numeric), 0)::text
                                 || ':' || COALESCE(sum(hashtextextended(r, 1)::numeric), 0)::text)
            FROM (SELECT {row} AS r FROM {from} OFFSET 0) s
            """;
    }

    internal static Task<ContentChecksum> ComputeAsync(NpgsqlConnection connection, QualifiedName table, IReadOnlyList<string> columns, CancellationToken ct) =>
        RunAsync(connection, Sql(table, columns), ct);

    internal static Task<ContentChecksum> ComputeOverAsync(NpgsqlConnection connection, string select, CancellationToken ct) =>
        RunAsync(connection, SqlOver(select), ct);

    private static async Task<ContentChecksum> RunAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new ContentChecksum(reader.GetInt64(0), reader.GetString(1));
    }

    internal static async Task<long> CountAsync(NpgsqlConnection connection, QualifiedName table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM ONLY {table.Sql}", connection);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
