namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Runs the writing side of a COPY … FROM STDIN and then completes it (disposing the writer is what tells the server
/// the data ended, and where the server reports a rejected row). On any failure of ours the COPY is cancelled, so the
/// connection stays usable for the rollback.
/// </summary>
internal static class CopyIn
{
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
                    case NpgsqlRawCopyStream raw: await raw.CancelAsync().ConfigureAwait(false); break;
                    case NpgsqlCopyTextWriter text: await text.CancelAsync().ConfigureAwait(false); break;
                }
            }
            catch (Exception) { } // the original failure is the one worth reporting
            throw;
        }
        await copy.DisposeAsync().ConfigureAwait(false);
    }
}
