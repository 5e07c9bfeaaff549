using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>Opens sessions to a <see cref="DatabaseEndpoint"/> and turns connection failures into clear, password-free errors.</summary>
internal static class ServerConnector
{
    private static readonly EventId Connecting = new(100, "Connecting");

    public static async Task<NpgsqlConnection> OpenAsync(DatabaseEndpoint endpoint, RunContext context, string purpose)
    {
        context.Logger.LogInformation(Connecting, "Connecting to {Endpoint} ({Purpose}).", endpoint.DisplayName, purpose);
        var connection = new NpgsqlConnection(endpoint.ConnectionString("FonanaMigration " + purpose, context.ConnectTimeoutSeconds));
        try
        {
            await connection.OpenAsync(context.CancellationToken).ConfigureAwait(false);
            await using (var set = new NpgsqlCommand(SessionSettings.Sql, connection))
                await set.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Translate(ex, endpoint, context.CancellationToken);
        }
    }

    public static MigrationException Translate(Exception ex, DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        var where = endpoint.DisplayName;
        if (cancellationToken.IsCancellationRequested || ex is OperationCanceledException)
            return new MigrationException(FailureKind.Cancelled, "OperationCancelled", $"Cancelled while talking to {where}.", endpoint, ex);

        if (ex is PostgresException pg)
        {
            return pg.SqlState switch
            {
                "28P01" or "28000" => new MigrationException(FailureKind.AuthenticationFailed, "AuthenticationFailed",
                    $"The server at {where} refused the login for user '{endpoint.Username}': {pg.MessageText}", endpoint, ex),
                "3D000" => new MigrationException(FailureKind.ObjectNotFound, "DatabaseNotFound",
                    $"The database '{endpoint.Database}' does not exist on {endpoint.Host}:{endpoint.Port}.", endpoint, ex),
                "42501" => new MigrationException(FailureKind.PermissionDenied, "PermissionDenied",
                    $"Permission denied on {where}: {pg.MessageText}", endpoint, ex),
                "57014" => new MigrationException(FailureKind.Cancelled, "OperationCancelled",
                    $"The statement on {where} was cancelled.", endpoint, ex),
                _ => new MigrationException(FailureKind.ServerError, "ServerError",
                    $"{where} answered {pg.SqlState}: {pg.MessageText}{(pg.Detail is null ? "" : " (" + pg.Detail + ")")}", endpoint, ex),
            };
        }

        if (ex is NpgsqlException { InnerException: SocketException or TimeoutException or IOException } || ex is TimeoutException or SocketException)
            return new MigrationException(FailureKind.ConnectionFailed, "ConnectionFailed",
                $"Could not reach {endpoint.Host}:{endpoint.Port} (database '{endpoint.Database}'): {(ex.InnerException ?? ex).Message}", endpoint, ex);

        if (ex is NpgsqlException npg)
            return new MigrationException(FailureKind.ConnectionFailed, "ConnectionFailed",
                $"Could not talk to {where}: {npg.Message}", endpoint, ex);

        return new MigrationException(FailureKind.ServerError, "UnexpectedError", $"Unexpected failure with {where}: {ex.Message}", endpoint, ex);
    }
}
