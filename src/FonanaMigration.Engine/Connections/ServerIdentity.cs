namespace FonanaMigration.Engine.Connections;

/// <summary>
/// Whether two endpoints reach the same database, asked of the servers themselves: 'localhost' and '127.0.0.1', or two
/// names for one host, are the same server when its start time, port and database agree.
/// </summary>
internal static class ServerIdentity
{
    private const string Sql = "SELECT pg_postmaster_start_time()::text || '/' || current_setting('port') || '/' || current_database(), current_setting('server_version_num')::int";

    /// <returns>Both servers' server_version_num, read on the same connections.</returns>
    public static async Task<(int Source, int Target)> EnsureDifferentAsync(DatabaseEndpoint source, DatabaseEndpoint target, RunContext context)
    {
        var (a, sourceVersion) = await ReadAsync(source, context).ConfigureAwait(false);
        var (b, targetVersion) = await ReadAsync(target, context).ConfigureAwait(false);
        if (a == b)
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.SourceIsTarget,
                $"The source {source.DisplayName} and the target {target.DisplayName} are the same database.", target);
        return (sourceVersion, targetVersion);
    }

    /// <summary>
    /// The server's own server_version_num, as the schema snapshot reads it (<c>ServerFacts.VersionNumber</c>): one
    /// source for every version decision, rather than Npgsql's parse of the startup's version string.
    /// </summary>
    public static async Task<int> VersionNumberAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT current_setting('server_version_num')::int", connection);
        return (int)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task<(string Identity, int Version)> ReadAsync(DatabaseEndpoint endpoint, RunContext context)
    {
        await using var connection = await ServerConnector.OpenAsync(endpoint, context, "identity").ConfigureAwait(false);
        try
        {
            await using var cmd = new NpgsqlCommand(Sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync(context.CancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false);
            return (reader.GetString(0), reader.GetInt32(1));
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, context.CancellationToken);
        }
    }
}
