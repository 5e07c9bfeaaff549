using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Statistics;

/// <summary>
/// Fresh planner statistics after COMMIT, so the application is not slow on its first queries. The server analyzes
/// one table on one core, so two sessions share the tables, largest first (the load's connection and one more):
/// measured in bench/Measure-PostLoadWork.ps1 against one session and against ANALYZE inside the transaction.
/// The rows are committed by now: nothing here may turn the run into a failure, and it returns only once every
/// ANALYZE it started has ended (a cancelled one is cancelled on the server before its session returns).
/// Both the offline load (after COMMIT) and the online cut-over (inside the downtime) use it.
/// </summary>
internal static class PlannerStatistics
{
    private static readonly EventId Failed = EngineEvents.AnalyzeFailed;

    public static async Task RefreshAsync(NpgsqlConnection connection, DatabaseEndpoint target, IReadOnlyList<QualifiedName> tables, RunContext context)
    {
        var failures = new List<string>();
        try
        {
            var queue = new Queue<QualifiedName>(await LargestFirstAsync(connection, tables, context.CancellationToken).ConfigureAwait(false));
            var sessions = new List<Task> { AnalyzeFromAsync(connection, queue, failures, context) };
            NpgsqlConnection? second = null;
            if (queue.Count > 1)
            {
                // Without a second session (connection limit, a password that changed…) the first one does them all.
                try { second = await ServerConnector.OpenAsync(target, context, "analyze").ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OutOfMemoryException) { context.Logger.LogDebug(Failed, "No second session for ANALYZE ({Reason}); one session does every table.", ex.Message); }
            }
            if (second is not null) sessions.Add(AnalyzeFromAsync(second, queue, failures, context));
            try { await Task.WhenAll(sessions).ConfigureAwait(false); }
            finally { if (second is not null) await second.DisposeAsync().ConfigureAwait(false); }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A connection lost right after COMMIT makes Npgsql throw InvalidOperationException: still committed rows.
            lock (failures) failures.Add(ex.Message);
        }
        if (failures.Count > 0)
            context.Logger.LogWarning(Failed, "The rows are committed, but refreshing planner statistics failed ({Reason}); run ANALYZE on the target.", string.Join("; ", failures.Distinct()));
    }

    // Each session takes the next table from the shared queue until it is empty. A table the server refuses to analyze
    // does not cost the others their statistics; a session that broke or was cancelled stops (the other goes on).
    private static async Task AnalyzeFromAsync(NpgsqlConnection connection, Queue<QualifiedName> queue, List<string> failures, RunContext context)
    {
        while (true)
        {
            QualifiedName table;
            lock (queue) { if (!queue.TryDequeue(out table)) return; }
            try { await Sql.ExecuteAsync(connection, $"ANALYZE {table.Sql}", context).ConfigureAwait(false); }
            catch (PostgresException pg) when (pg.SqlState is not "57014" && connection.State == System.Data.ConnectionState.Open)
            {
                lock (failures) failures.Add($"{table}: {pg.MessageText}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lock (failures) failures.Add(ex.Message);
                return;
            }
        }
    }

    private static async Task<List<QualifiedName>> LargestFirstAsync(NpgsqlConnection connection, IReadOnlyList<QualifiedName> tables, CancellationToken ct)
    {
        var sizes = new Dictionary<string, long>();
        await using (var cmd = new NpgsqlCommand("SELECT n, pg_table_size(n::regclass) FROM unnest(@names) AS n", connection))
        {
            cmd.Parameters.AddWithValue("names", tables.Select(t => t.Sql).ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) sizes[reader.GetString(0)] = reader.GetInt64(1);
        }
        return tables.OrderByDescending(t => sizes.GetValueOrDefault(t.Sql)).ToList();
    }
}
