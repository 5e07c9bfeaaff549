using Npgsql;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// What became of a transaction whose COMMIT lost its connection, asked on a new connection with txid_status:
/// "committed", "aborted", or null when the server cannot be reached or cannot say.
/// </summary>
internal static class CommitStatus
{
    public static async Task<string?> AskAsync(DatabaseEndpoint target, long xid, RunContext context)
    {
        // The killed backend may still be rolling back: "in progress" for a moment. Bounded, so a hung server cannot hold the cmdlet.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await using var connection = await ServerConnector.OpenAsync(target, new RunContext(context.Logger, null, bounded.Token) { ConnectTimeoutSeconds = context.ConnectTimeoutSeconds }, "commit status").ConfigureAwait(false);
            while (true)
            {
                await using var cmd = new NpgsqlCommand("SELECT txid_status(@xid)", connection);
                cmd.Parameters.AddWithValue("xid", xid);
                var status = await cmd.ExecuteScalarAsync(bounded.Token).ConfigureAwait(false) as string;
                if (status is "committed" or "aborted") return status;
                if (status is null) return null;
                await Task.Delay(100, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException) // no answer of any kind is "cannot say", never a verdict
        {
            return null;
        }
    }
}
