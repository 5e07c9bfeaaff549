using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>One statement on an open session, with named parameters; the replication code runs many small ones.</summary>
internal static class ServerStatement
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Build(connection, sql, parameters);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Build(connection, sql, parameters);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<List<T>> RowsAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var cmd = Build(connection, sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) rows.Add(read(reader));
        return rows;
    }

    private static NpgsqlCommand Build(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            // Catalog oids arrive as uint, which Npgsql writes only when told the type.
            if (value is uint oid) cmd.Parameters.AddWithValue(name, NpgsqlTypes.NpgsqlDbType.Oid, oid);
            else cmd.Parameters.AddWithValue(name, value);
        }
        return cmd;
    }
}
