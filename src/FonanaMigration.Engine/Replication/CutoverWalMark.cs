using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// The source's WAL position the cut-over waits for, written once the application has stopped writing: a logical
/// message in a transaction committed with synchronous_commit = local. That commit flushes every earlier WAL record, so
/// the walsender (which sends only flushed WAL) can send every write visible on the source, and the message lies after
/// all of them. pg_current_wal_lsn() is not such a position: it is where WAL has been written to, which lies before a
/// write committed with synchronous_commit = off until the WAL writer gets to it, and the target can confirm it
/// without having that write.
/// </summary>
internal static class CutoverWalMark
{
    private const string MessagePrefix = "fonana_cutover";

    /// <returns>The message's end position (pg_lsn as text).</returns>
    public static async Task<string> WriteAsync(NpgsqlConnection source, string name, CancellationToken ct)
    {
        await using var tx = await source.BeginTransactionAsync(ct).ConfigureAwait(false);
        // local, not on: a synchronous standby of the source must not hold up the cut-over; the walsender reads local WAL.
        await ServerStatement.ExecuteAsync(source, "SET LOCAL synchronous_commit = local", ct).ConfigureAwait(false);
        // Transactional, so the commit has WAL of its own to flush; the subscriber does not ask for messages and ignores it.
        var lsn = await ServerStatement.ScalarAsync<string>(source, "SELECT pg_logical_emit_message(true, @p, @n)::text", ct,
            ("p", MessagePrefix), ("n", name)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return lsn!;
    }
}
