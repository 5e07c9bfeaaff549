using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Connections;

/// <summary>Opens sessions to a <see cref="DatabaseEndpoint"/> and turns connection failures into clear, password-free errors.</summary>
internal static class ServerConnector
{
    private static readonly EventId Connecting = EngineEvents.Connecting;
    private static readonly EventId IgnoredParameters = EngineEvents.ConnectionParametersIgnored;

    public static async Task<NpgsqlConnection> OpenAsync(DatabaseEndpoint endpoint, RunContext context, string purpose)
    {
        context.Logger.LogInformation(Connecting, "Connecting to {Endpoint} ({Purpose}).", endpoint.DisplayName, purpose);
        if (endpoint.IgnoredParametersNote is { } ignored) context.Logger.LogInformation(IgnoredParameters, "{Note}", ignored);
        if (endpoint.ForcedOffKeywordsNote is { } forcedOff) context.Logger.LogInformation(IgnoredParameters, "{Note}", forcedOff);
        // -ConnectTimeout given on the command line wins; otherwise the URI's connect_timeout, then the default.
        var timeout = context.ConnectTimeoutGiven ? context.ConnectTimeoutSeconds : endpoint.ConnectTimeoutSeconds ?? context.ConnectTimeoutSeconds;
        // A data source of its own per connection, so Npgsql logs (statements, timings) go to this run's logger only.
        var builder = new NpgsqlDataSourceBuilder(endpoint.ConnectionString("FonanaMigration " + purpose, timeout, context.IncludeRowValues));
        builder.UseLoggerFactory(new DriverLoggerFactory(context.Logger));
        var dataSource = builder.Build();
        var connection = dataSource.CreateConnection();
        // The caller owns only the connection; closing it (Dispose closes) releases the data source behind it.
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Closed && change.OriginalState != System.Data.ConnectionState.Closed)
                dataSource.Dispose();
        };
        try
        {
            await connection.OpenAsync(context.CancellationToken).ConfigureAwait(false);
            await using (var set = new NpgsqlCommand(SessionSettings.Sql, connection))
                await set.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
            CancelledConnectionBreaker.Arm(connection, endpoint, context); // a cancel must end the run even over a frozen link
            return connection;
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            await dataSource.DisposeAsync().ConfigureAwait(false);
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
                // Detail is Npgsql's redaction notice unless the user asked for row values (Include Error Detail).
                _ => new MigrationException(FailureKind.ServerError, "ServerError",
                    $"{where} answered {pg.SqlState}: {pg.MessageText}{(pg.Detail is null || pg.Detail.StartsWith("Detail redacted", StringComparison.Ordinal) ? "" : " (" + pg.Detail + ")")}", endpoint, ex),
            };
        }

        if (ex is NpgsqlException { InnerException: System.Security.Authentication.AuthenticationException tls })
            return new MigrationException(FailureKind.ServerNotTrusted, "ServerCertificateRejected",
                $"The server at {endpoint.Host}:{endpoint.Port} presented a TLS certificate that sslmode={endpoint.SslMode} does not accept " +
                $"(checked against {(endpoint.SslRootCertificate is { } root ? $"sslrootcert '{root}'" : "the system's trusted roots")}): {tls.Message} " +
                "Check that sslrootcert names the CA that signed the server's certificate and that the host name in the connection is one the certificate names.",
                endpoint, ex);

        // Npgsql opens sslrootcert, sslcert/sslkey and the password file (PGPASSFILE) itself; libpq would skip a missing password file.
        if ((ex as FileNotFoundException ?? ex.InnerException as FileNotFoundException) is { } missing)
            return new MigrationException(FailureKind.ObjectNotFound, "ConnectionFileNotFound",
                $"A file the connection to {where} needs does not exist: '{missing.FileName}' (a TLS certificate or key, or the password file PGPASSFILE names).",
                missing.FileName ?? (object)endpoint, ex);

        if (ex is NpgsqlException && !endpoint.HasPassword && ex.Message.Contains("No password has been provided", StringComparison.OrdinalIgnoreCase))
            return new MigrationException(FailureKind.AuthenticationFailed, "AuthenticationFailed",
                $"The server at {where} asks for a password and none was found: not in the connection, nor in PGPASSWORD, " +
                "nor in the password file (PGPASSFILE, or ~/.pgpass; %APPDATA%\\postgresql\\pgpass.conf on Windows) for this host, port, database and user.",
                endpoint, ex);

        if (ex is NpgsqlException { InnerException: SocketException or TimeoutException or IOException } || ex is TimeoutException or SocketException)
            return new MigrationException(FailureKind.ConnectionFailed, "ConnectionFailed",
                $"Could not reach {endpoint.Host}:{endpoint.Port} (database '{endpoint.Database}'): {(ex.InnerException ?? ex).Message}", endpoint, ex);

        if (ex is NpgsqlException npg)
            return new MigrationException(FailureKind.ConnectionFailed, "ConnectionFailed",
                $"Could not talk to {where}: {npg.Message}", endpoint, ex);

        return new MigrationException(FailureKind.ServerError, "UnexpectedError", $"Unexpected failure with {where}: {ex.Message}", endpoint, ex);
    }
}
