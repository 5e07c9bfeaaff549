using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>
/// Row count plus an order-independent content checksum of a table, computed by the server itself: each row's text
/// form (under <see cref="SessionSettings"/>, so two servers print the same value the same way) is hashed, and the
/// hashes are summed, so physical row order never matters and nothing is sorted or held in memory.
/// </summary>
public sealed record ContentChecksum(long Rows, string Checksum)
{
    internal static string Sql(QualifiedName table, IReadOnlyList<string> columns)
    {
        var row = "ROW(" + string.Join(", ", columns.Select(c => "t." + Identifier.Quote(c))) + ")::text";
        if (columns.Count == 0) row = "''";
        // Two 64-bit halves of each row's md5, summed as numeric (no overflow), then folded into one hex string.
        return $"""
            SELECT count(*), md5(count(*)::text || ':' || COALESCE(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text
                                 || ':' || COALESCE(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text)
            FROM (SELECT md5({row}) AS h FROM ONLY {table.Sql} t) s
            """;
    }

    internal static async Task<ContentChecksum> ComputeAsync(NpgsqlConnection connection, QualifiedName table, IReadOnlyList<string> columns, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql(table, columns), connection);
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
