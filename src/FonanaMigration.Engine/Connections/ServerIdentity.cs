namespace FonanaMigration.Engine.Connections;

/// <summary>
/// Whether two endpoints reach the same database, asked of the servers themselves: 'localhost' and '127.0.0.1', or two
/// names for one host, are the same server when its start time, port and database agree.
/// </summary>
internal static class ServerIdentity
{
    private const string Sql = "SELECT pg_postmaster_start_time()::text || '/' || current_setting('port') || '/' || current_database()";

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

    /// <summary>An open connection's server_version_num (major and minor), known from the startup without a query.</summary>
    public static int VersionNumber(NpgsqlConnection connection) =>
        connection.PostgreSqlVersion.Major * 10000 + Math.Max(connection.PostgreSqlVersion.Minor, 0);

    private static async Task<(string Identity, int Version)> ReadAsync(DatabaseEndpoint endpoint, RunContext context)
    {
        await using var connection = await ServerConnector.OpenAsync(endpoint, context, "identity").ConfigureAwait(false);
        try
        {
            await using var cmd = new NpgsqlCommand(Sql, connection);
            var identity = (string)(await cmd.ExecuteScalarAsync(context.CancellationToken).ConfigureAwait(false))!;
            return (identity, VersionNumber(connection));
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, context.CancellationToken);
        }
    }
}
