using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Connections;

/// <summary>
/// Once a run is cancelled, gives each of its connections a short grace period to roll back and close; one still open
/// after it has a frozen link (a socket write or a cancel request that never completes, which Npgsql does not bound),
/// so its socket is shut down: the blocked operation fails at once and the engine can unwind. A transaction cannot
/// commit without the module's COMMIT, so a connection broken this way leaves nothing committed: the server rolls it
/// back when it sees the connection gone. Once COMMIT is sent the breaker is disarmed (<see cref="Disarm"/>).
/// </summary>
internal static class CancelledConnectionBreaker
{
    /// <summary>Well inside the cmdlet's wait for the engine (EngineStop.WaitLimit), long enough for a rollback on a live link.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private static readonly EventId Broken = EngineEvents.ConnectionBrokenAfterCancel;

    // Npgsql offers no public way to abort a connection whose socket is stuck; its internal connector holds the socket.
    private static readonly PropertyInfo? ConnectorProperty =
        typeof(NpgsqlConnection).GetProperty("Connector", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    // What Disarm must stop: the cancel's registration and the grace period's wait.
    private static readonly ConditionalWeakTable<NpgsqlConnection, Armed> ArmedConnections = new();

    private sealed record Armed(CancellationTokenRegistration Registration, CancellationTokenSource Closed)
    {
        public void Stop()
        {
            Registration.Dispose();
            Closed.Cancel();
        }
    }

    public static void Arm(NpgsqlConnection connection, DatabaseEndpoint endpoint, RunContext context)
    {
        var token = context.CancellationToken;
        if (!token.CanBeCanceled) return;
        var closed = new CancellationTokenSource();
        var armed = new Armed(token.Register(() => _ = BreakIfStillOpenAsync(connection, endpoint, context.Logger, closed.Token)), closed);
        ArmedConnections.AddOrUpdate(connection, armed);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState != System.Data.ConnectionState.Closed) return;
            armed.Stop();
        };
    }

    /// <summary>
    /// From COMMIT on, the transaction's outcome is the server's: breaking the socket then cannot stop a commit that is
    /// going through, only hide it. The connection is left to hear the server's answer (a grace period already
    /// running is stopped too).
    /// </summary>
    public static void Disarm(NpgsqlConnection connection)
    {
        if (ArmedConnections.TryGetValue(connection, out var armed)) armed.Stop();
    }

    private static async Task BreakIfStillOpenAsync(NpgsqlConnection connection, DatabaseEndpoint endpoint, ILogger logger, CancellationToken closed)
    {
        try
        {
            await Task.Delay(Grace, closed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // it closed in time
        }
        if (SocketOf(connection) is not { } socket) return;
        logger.LogWarning(Broken,
            "The connection to {Endpoint} did not finish within {Seconds:0} seconds of the cancel (a frozen link?): closing it. " +
            "Nothing it was loading can commit without the module's COMMIT; the server rolls the transaction back when it sees the connection gone.",
            endpoint.DisplayName, Grace.TotalSeconds);
        try { socket.Shutdown(SocketShutdown.Both); } catch (Exception) { } // already gone: fine
        try { socket.Dispose(); } catch (Exception) { }
    }

    private static Socket? SocketOf(NpgsqlConnection connection)
    {
        try
        {
            var connector = ConnectorProperty?.GetValue(connection);
            if (connector is null) return null;
            for (var type = connector.GetType(); type is not null; type = type.BaseType)
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic))
                    if (typeof(Socket).IsAssignableFrom(field.FieldType))
                        return field.GetValue(connector) as Socket;
        }
        catch (Exception) { } // a closed or disposed connection: nothing to break
        return null;
    }
}
