using Microsoft.Extensions.Logging;
using Npgsql;

using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Sequences;

/// <summary>
/// Moves every target sequence the copied columns use (serial, identity, or called by a DEFAULT) past the largest
/// value of every column that uses it, and not below the source's position. setval is never rolled back by
/// PostgreSQL, so the positions are read first (under the load's locks), the sequences are set last (after
/// verification, just before COMMIT), and <see cref="RestoreAsync"/> puts the saved positions back on any failure
/// after that point.
/// </summary>
internal sealed class SequenceAdvance
{
    private static readonly EventId Moved = EngineEvents.SequenceReset;
    private static readonly EventId Restored = EngineEvents.SequenceRestored;

    private readonly Dictionary<string, List<SequenceUse>> _uses;
    private readonly Dictionary<string, (long LastValue, bool IsCalled)> _saved;
    private bool _touched;

    private SequenceAdvance(Dictionary<string, List<SequenceUse>> uses, Dictionary<string, (long, bool)> saved)
    {
        _uses = uses;
        _saved = saved;
    }

    public IReadOnlyCollection<string> Sequences => _saved.Keys;

    /// <summary>The tables with a column that draws from <paramref name="sequence"/> (loaded or not).</summary>
    public IEnumerable<QualifiedName> TablesUsing(string sequence) =>
        _uses.TryGetValue(sequence, out var uses) ? uses.Select(u => u.Table).Distinct() : Enumerable.Empty<QualifiedName>();

    /// <summary>Finds the sequences and saves their positions; fails before any row when the role could not set them.</summary>
    public static async Task<SequenceAdvance> PrepareAsync(NpgsqlConnection connection, IReadOnlyList<TableContent> tables, RunContext context)
    {
        var ct = context.CancellationToken;
        var uses = SequenceUse.UsedBy(await SequenceUse.ReadAsync(connection, tables.Select(t => t.QualifiedName), ct).ConfigureAwait(false), tables);
        var saved = new Dictionary<string, (long, bool)>();
        foreach (var sequence in uses.Keys)
        {
            await using (var cmd = new NpgsqlCommand("SELECT has_sequence_privilege(@s, 'UPDATE') AND has_sequence_privilege(@s, 'SELECT')", connection))
            {
                cmd.Parameters.AddWithValue("s", sequence);
                if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true)
                    throw new MigrationException(FailureKind.PermissionDenied, "PermissionDenied",
                        $"The target's sequence {sequence} must move past the loaded rows, but the role may not read and set it (it needs SELECT and UPDATE on the sequence). Nothing was changed.", sequence);
            }
            saved[sequence] = await SequenceUse.ReadPositionAsync(connection, sequence, ct).ConfigureAwait(false);
        }
        return new SequenceAdvance(uses, saved);
    }

    /// <summary>
    /// Sets every sequence; runs after verification with no cancellation point, as the COMMIT that follows it.
    /// A sequence whose columns hold no rows and that the source never used is left where it is.
    /// </summary>
    public async Task<List<MovedSequence>> ApplyAsync(NpgsqlConnection connection, IReadOnlyList<TableContent> tables, RunContext context)
    {
        var moved = new List<MovedSequence>();
        foreach (var (sequence, uses) in _uses)
        {
            var floor = tables.SelectMany(t => t.Sequences).Where(s => s.Sequence == sequence && s.IsCalled).Select(s => (long?)s.LastValue).Max();
            var maxima = uses.Where(u => u.IsInteger)
                .Select(u => $"(SELECT max({Identifier.Quote(u.Column)})::bigint FROM ONLY {u.Table.Sql})").Append("@floor");
            var sql = $"SELECT setval(@s, v, true) FROM (SELECT GREATEST({string.Join(", ", maxima)}) AS v) m WHERE v IS NOT NULL";
            Sql.Log(sql, context);
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.AddWithValue("s", sequence);
            cmd.Parameters.AddWithValue("floor", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)floor ?? DBNull.Value);
            _touched = true;
            var value = await cmd.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
            var (old, called) = _saved[sequence];
            if (value is long now)
            {
                if (now != old || !called) moved.Add(new MovedSequence(sequence, old, now));
                context.Logger.LogInformation(Moved, "Sequence {Sequence} set to {Value} (was {Old}; used by {Columns}).", sequence, now, old,
                    string.Join(", ", uses.Select(u => $"{u.Table}.{Identifier.QuoteIfNeeded(u.Column)}")));
            }
            else
                context.Logger.LogInformation(Moved, "Sequence {Sequence} left at {Old}: no rows use it and the source never did.", sequence, old);
        }
        return moved;
    }

    /// <summary>
    /// After a failure once <see cref="ApplyAsync"/> began: puts every saved position back (setval outlives the
    /// rollback), on <paramref name="connection"/> if it still works, else on a new one. Returns the sequences that could
    /// not be restored (empty when all were, or none had been touched).
    /// </summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(NpgsqlConnection connection, DatabaseEndpoint endpoint, RunContext context)
    {
        if (!_touched) return Array.Empty<string>();
        var pending = _saved.Keys.ToList();
        await RestoreOnAsync(connection, pending, context).ConfigureAwait(false);
        if (pending.Count > 0)
        {
            try
            {
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await using var fresh = await ServerConnector.OpenAsync(endpoint, new RunContext(context.Logger, null, bounded.Token) { ConnectTimeoutSeconds = context.ConnectTimeoutSeconds }, "restore sequences").ConfigureAwait(false);
                await RestoreOnAsync(fresh, pending, context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or MigrationException or OperationCanceledException or TimeoutException)
            {
                context.Logger.LogWarning(Restored, "Could not reconnect to restore sequences: {Reason}", ex.Message);
            }
        }
        if (pending.Count == 0) _touched = false;
        return pending;
    }

    private async Task RestoreOnAsync(NpgsqlConnection connection, List<string> pending, RunContext context)
    {
        foreach (var sequence in pending.ToList())
        {
            try
            {
                if (connection.State != System.Data.ConnectionState.Open) return;
                var (last, called) = _saved[sequence];
                // Outside any transaction (after ROLLBACK), so each setval stands on its own.
                await using var cmd = new NpgsqlCommand("SELECT setval(@s, @v, @c)", connection);
                cmd.Parameters.AddWithValue("s", sequence);
                cmd.Parameters.AddWithValue("v", last);
                cmd.Parameters.AddWithValue("c", called);
                await cmd.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
                pending.Remove(sequence);
                context.Logger.LogInformation(Restored, "Sequence {Sequence} restored to {Value}.", sequence, last);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                return;
            }
        }
    }
}
