using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Sequences;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// The end of a verified load: set the sequences, then COMMIT. Once verification has passed there is no cancellation
/// point (Ctrl+C no longer rolls back), so a run the user stops cannot end in an outcome nobody reported. Every failure
/// from here on restores the sequences' saved positions; a connection lost during COMMIT is asked about on a new
/// connection (txid_status), and when the server cannot say, the error is CommitOutcomeUnknown, never a plain rollback.
/// </summary>
internal static class FinalCommit
{
    private static readonly EventId InDoubt = EngineEvents.CommitInDoubt;

    public static async Task<List<MovedSequence>> RunAsync(NpgsqlConnection connection, NpgsqlTransaction tx, SequenceAdvance sequences,
        IReadOnlyList<TableContent> tables, DatabaseEndpoint target, RunContext context)
    {
        long xid;
        List<MovedSequence> moved;
        try
        {
            await using (var cmd = new NpgsqlCommand("SELECT txid_current()", connection))
                xid = (long)(await cmd.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!;
            moved = await sequences.ApplyAsync(connection, tables, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            // Before COMMIT was sent: the transaction cannot commit any more, only the sequences may have moved.
            try { await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false); } catch (Exception rollback) when (rollback is NpgsqlException or InvalidOperationException or IOException) { }
            throw await WithSequencesRestoredAsync(ServerConnector.Translate(ex, target, CancellationToken.None), sequences, connection, target, context).ConfigureAwait(false);
        }

        try
        {
            Sql.Log("COMMIT", context);
            CancelledConnectionBreaker.Disarm(connection); // a cancel now must wait for the server's answer, not break it
            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return moved;
        }
        catch (Exception ex) when (ex is not MigrationException and not OutOfMemoryException)
        {
            // Whatever broke once COMMIT was on its way (Npgsql may also throw InvalidOperationException or
            // ObjectDisposedException for a connection broken under it), only the server knows the outcome: ask it.
            // An answer from a server that is still connected is a rollback (e.g. a deferred constraint failing at COMMIT).
            if (ex is PostgresException && connection.FullState == System.Data.ConnectionState.Open)
                throw await WithSequencesRestoredAsync(ServerConnector.Translate(ex, target, CancellationToken.None), sequences, connection, target, context).ConfigureAwait(false);

            var status = await CommitStatus.AskAsync(target, xid, context).ConfigureAwait(false);
            if (status == "committed")
            {
                context.Logger.LogWarning(InDoubt, "The connection to {Endpoint} was lost during COMMIT, but the server reports transaction {Xid} committed.", target.DisplayName, xid);
                return moved;
            }
            if (status == "aborted")
                throw await WithSequencesRestoredAsync(new MigrationException(FailureKind.ConnectionFailed, "ConnectionFailed",
                    $"The connection to {target.DisplayName} was lost during COMMIT ({ex.Message}); asked on a new connection, the server reports the transaction rolled back. Nothing was changed.",
                    target, ex), sequences, connection, target, context).ConfigureAwait(false);

            var mayHaveMoved = sequences.Sequences.Count == 0 ? "" :
                $" Until then, these sequences are either at their new positions (committed) or moved ahead of the old rows (rolled back): {string.Join(", ", sequences.Sequences)}.";
            throw new MigrationException(FailureKind.ConnectionFailed, ErrorIds.CommitOutcomeUnknown,
                $"The connection to {target.DisplayName} was lost during COMMIT ({ex.Message}) and the server could not be asked whether transaction {xid} committed: " +
                $"the target may hold all the new rows or exactly the old ones. Check it before anything else: Assert-FonanaCounts -Target ... compares every table with the source " +
                $"(or SELECT txid_status({xid}) on the target says 'committed' or 'aborted').{mayHaveMoved}",
                target, ex);
        }
    }

    private static async Task<MigrationException> WithSequencesRestoredAsync(MigrationException failure, SequenceAdvance sequences,
        NpgsqlConnection connection, DatabaseEndpoint target, RunContext context)
    {
        var left = await sequences.RestoreAsync(connection, target, context).ConfigureAwait(false);
        if (left.Count == 0) return failure;
        return new MigrationException(failure.Kind, failure.ErrorId,
            $"{failure.Message} The rows were rolled back, but these sequences could not be put back where they were and may have moved: {string.Join(", ", left)}.",
            failure.TargetObject, failure.InnerException ?? failure) { Details = failure.Details };
    }
}
