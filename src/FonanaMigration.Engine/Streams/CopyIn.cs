namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Runs the writing side of a COPY … FROM STDIN and then completes it (disposing the writer is what tells the server
/// the data ended, and where the server reports a rejected row). On any failure of ours the COPY is cancelled, so the
/// connection stays usable for the rollback.
/// </summary>
internal static class CopyIn
{
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(IAsyncDisposable copy, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not PostgresException)
        {
            try
            {
                switch (copy)
                {
                    // Bounded: over a stalled link the server never answers the cancel; dropping the connection rolls back too.
                    case NpgsqlRawCopyStream raw: await raw.CancelAsync().WaitAsync(CancelWait).ConfigureAwait(false); break;
                    case NpgsqlCopyTextWriter text: await text.CancelAsync().WaitAsync(CancelWait).ConfigureAwait(false); break;
                }
            }
            catch (Exception) { } // the original failure is the one worth reporting
            throw;
        }
        await copy.DisposeAsync().ConfigureAwait(false);
    }
}
