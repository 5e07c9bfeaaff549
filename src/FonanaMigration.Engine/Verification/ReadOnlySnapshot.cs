namespace FonanaMigration.Engine.Verification;

/// <summary>
/// A session inside one REPEATABLE READ, READ ONLY transaction: every query sees the same moment, and nothing run in it
/// (including a user's own -Query) can change data. Disposing rolls the transaction back.
/// </summary>
internal sealed class ReadOnlySnapshot : IAsyncDisposable
{
    private ReadOnlySnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    /// <param name="applicationSearchPath">Set search_path to "$user", public, so user SQL can name tables unqualified as the application does.</param>
    public static async Task<ReadOnlySnapshot> OpenAsync(DatabaseEndpoint endpoint, RunContext context, string purpose, bool applicationSearchPath = false)
    {
        var connection = await ServerConnector.OpenAsync(endpoint, context, purpose).ConfigureAwait(false);
        try
        {
            var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, context.CancellationToken).ConfigureAwait(false);
            await using (var ro = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, tx))
                await ro.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
            if (applicationSearchPath)
            {
                await using var path = new NpgsqlCommand("SET LOCAL search_path = \"$user\", public", connection, tx);
                await path.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
            }
            return new ReadOnlySnapshot(connection, tx);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
