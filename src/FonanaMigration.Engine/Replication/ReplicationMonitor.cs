using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Get-FonanaReplication: every replication this module made, read from the target's subscription catalogs and, with a
/// source, from its slots and publications (so a slot left without its subscription shows up as Orphaned).
/// </summary>
public static class ReplicationMonitor
{
    private static readonly EventId Diverged = EngineEvents.SchemaDiverged;
    private static readonly EventId ApplyFailing = EngineEvents.ApplyErrors;

    public static async Task<IReadOnlyList<ReplicationStatus>> GetAsync(ReplicationStatusRequest request, RunContext context)
    {
        var endpoint = request.Target;
        try
        {
            await using var target = await ServerConnector.OpenAsync(request.Target, context, "replication status").ConfigureAwait(false);
            endpoint = request.Source ?? request.Target;
            await using var source = request.Source is null ? null : await ServerConnector.OpenAsync(request.Source, context, "replication status").ConfigureAwait(false);
            endpoint = request.Target;
            return await ReadAsync(request, target, source, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, context.CancellationToken);
        }
    }

    /// <summary>Polls until every table of the replication(s) is ready, reporting progress; Ctrl+C (cancellation) ends the wait.</summary>
    public static async Task<IReadOnlyList<ReplicationStatus>> WaitUntilReadyAsync(ReplicationStatusRequest request, RunContext context, TimeSpan? interval = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long errorsSeen = 0;
        while (true)
        {
            var all = await GetAsync(request, context).ConfigureAwait(false);
            var running = all.Where(s => s.State != "Orphaned").ToList();
            if (running.Count == 0)
                throw new MigrationException(FailureKind.ObjectNotFound, "ReplicationNotFound",
                    $"No online migration{(request.Name is null ? "" : " named " + request.Name)} runs on {request.Target.DisplayName}.", request.Target);
            var tables = running.Sum(s => s.Tables);
            var ready = running.Sum(s => s.TablesReady);
            var errors = running.Sum(s => (s.ApplyErrors ?? 0) + (s.SyncErrors ?? 0));
            if (errors > errorsSeen)
            {
                errorsSeen = errors;
                context.Logger.LogWarning(ApplyFailing, "The target's replication workers hit {Errors} error(s) so far; the messages are in the target server's log.", errors);
            }
            context.Report(new TransferProgress("Online migration", $"{ready} of {tables} table(s) ready", null, ready, tables, 0, clock.Elapsed, Completed: ready == tables));
            if (running.All(s => s.IsReady)) return all;
            // A disabled subscription never becomes ready by waiting.
            if (running.FirstOrDefault(s => s.State == "Disabled") is { } disabled)
                throw new MigrationException(FailureKind.InvalidArgument, "ReplicationDisabled",
                    $"The subscription {disabled.Name} on {request.Target.DisplayName} is disabled, so it will never be ready. " +
                    "Stop-FonanaReplication removes it; start again.", disabled.Name);
            await Task.Delay(interval ?? TimeSpan.FromSeconds(1), context.CancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<IReadOnlyList<ReplicationStatus>> ReadAsync(ReplicationStatusRequest request, NpgsqlConnection target, NpgsqlConnection? source, RunContext context)
    {
        var ct = context.CancellationToken;
        // Error counts exist from PostgreSQL 15 (pg_stat_subscription_stats); older targets report none.
        var hasErrorCounts = await ServerStatement.ScalarAsync<bool>(target, "SELECT to_regclass('pg_catalog.pg_stat_subscription_stats') IS NOT NULL", ct).ConfigureAwait(false);
        var errorColumns = hasErrorCounts ? "ss.apply_error_count, ss.sync_error_count" : "NULL::bigint, NULL::bigint";
        var errorJoin = hasErrorCounts ? "LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid" : "";
        var subscriptions = await ServerStatement.RowsAsync(target, $"""
            SELECT s.oid, s.subname::text, s.subenabled, {errorColumns}, extract(epoch FROM now() - st.latest_end_time)::float8
            FROM pg_subscription s
            LEFT JOIN pg_stat_subscription st ON st.subid = s.oid AND st.relid IS NULL
            {errorJoin}
            WHERE s.subname LIKE @p AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY 2
            """, r => (Oid: r.GetFieldValue<uint>(0), Name: r.GetString(1), Enabled: r.GetBoolean(2),
                ApplyErrors: r.IsDBNull(3) ? (long?)null : r.GetInt64(3), SyncErrors: r.IsDBNull(4) ? (long?)null : r.GetInt64(4),
                SinceReport: r.IsDBNull(5) ? (double?)null : r.GetDouble(5)), ct, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false);

        var slots = source is null ? new() : await ServerStatement.RowsAsync(source, """
            SELECT slot_name::text, active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
            FROM pg_replication_slots WHERE slot_name LIKE @p AND database = current_database()
            """, r => (Name: r.GetString(0), Active: r.GetBoolean(1), Behind: r.IsDBNull(2) ? (long?)null : r.GetInt64(2), Retained: r.IsDBNull(3) ? (long?)null : r.GetInt64(3)),
            ct, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false);
        var publications = source is null ? new() : await ServerStatement.RowsAsync(source, "SELECT pubname::text FROM pg_publication WHERE pubname LIKE @p",
            r => r.GetString(0), ct, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false);

        var names = subscriptions.Select(s => s.Name).Concat(slots.Select(s => s.Name)).Concat(publications)
            .Where(n => request.Name is null || n == request.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var warnings = source is null || subscriptions.Count == 0 ? new List<string>() : await SchemaDivergenceAsync(source, target, context).ConfigureAwait(false);

        var result = new List<ReplicationStatus>();
        foreach (var name in names)
        {
            var sub = subscriptions.FirstOrDefault(s => s.Name == name);
            var slot = slots.FirstOrDefault(s => s.Name == name);
            var tables = sub.Name is null ? new List<ReplicationTableStatus>() : await ReadTablesAsync(target, name, sub.Oid, ct).ConfigureAwait(false);
            var ready = tables.Count(t => t.State == "Ready");
            var state = sub.Name is null ? "Orphaned"
                : !sub.Enabled ? "Disabled"
                : tables.Count > 0 && ready == tables.Count ? "Ready"
                : tables.Any(t => t.State is "Initializing" or "Copying") ? "Copying" : "CatchingUp";
            result.Add(new ReplicationStatus
            {
                Name = name,
                Target = request.Target.DisplayName,
                Source = request.Source?.DisplayName,
                State = state,
                Enabled = sub.Name is null ? null : sub.Enabled,
                Tables = tables.Count,
                TablesReady = ready,
                BytesBehind = slot.Name is null ? null : slot.Behind,
                SecondsBehind = slot.Name is null ? null : slot.Behind is > 0 ? Math.Round(sub.SinceReport ?? 0, 1) : 0,
                RetainedWalBytes = slot.Name is null ? null : slot.Retained,
                ApplyErrors = sub.ApplyErrors,
                SyncErrors = sub.SyncErrors,
                SlotExists = source is null ? null : slot.Name is not null,
                SlotActive = slot.Name is null ? null : slot.Active,
                PublicationExists = source is null ? null : publications.Contains(name),
                TableStatus = tables,
                Warnings = sub.Name is null ? Array.Empty<string>() : warnings,
            });
        }
        return result;
    }

    private static async Task<List<ReplicationTableStatus>> ReadTablesAsync(NpgsqlConnection target, string name, uint oid, CancellationToken ct) =>
        await ServerStatement.RowsAsync(target, """
            SELECT n.nspname, c.relname, r.srsubstate::text, r.srsublsn::text,
                   (SELECT sum(COALESCE(s.n_live_tup, 0))::bigint FROM (SELECT relid FROM pg_partition_tree(c.oid) WHERE isleaf UNION SELECT c.oid) p
                    LEFT JOIN pg_stat_user_tables s ON s.relid = p.relid)
            FROM pg_subscription_rel r JOIN pg_class c ON c.oid = r.srrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE r.srsubid = @o ORDER BY 1, 2
            """, r => new ReplicationTableStatus
            {
                Replication = name,
                Table = new QualifiedName(r.GetString(0), r.GetString(1)).ToString(),
                State = ReplicationTableStatus.StateOf(r.GetString(2)),
                SyncLsn = r.IsDBNull(3) ? null : r.GetString(3),
                Rows = r.IsDBNull(4) ? null : r.GetInt64(4),
            }, ct, ("o", oid)).ConfigureAwait(false);

    /// <summary>DDL is not replicated: a column added on one side only during the sync breaks the apply or loses data. Say so while there is time.</summary>
    private static async Task<List<string>> SchemaDivergenceAsync(NpgsqlConnection source, NpgsqlConnection target, RunContext context)
    {
        var published = await ServerStatement.RowsAsync(source,
            "SELECT DISTINCT schemaname::text, tablename::text FROM pg_publication_tables WHERE pubname LIKE @p",
            r => new QualifiedName(r.GetString(0), r.GetString(1)), context.CancellationToken, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false);
        var quiet = RunContext.Silent(context.CancellationToken);
        var sourceSchema = await SchemaReader.ReadAsync(source, quiet).ConfigureAwait(false);
        var targetSchema = await SchemaReader.ReadAsync(target, quiet).ConfigureAwait(false);
        // pg_publication_tables lists the root of a partitioned table published through it; its partitions count too.
        var roots = published.ToHashSet();
        bool Included(QualifiedName t) => roots.Contains(t) || sourceSchema.FindTable(t)?.PartitionOf is { } parent && Included(parent);
        var warnings = SchemaComparer.Compare(sourceSchema, targetSchema, Included)
            .Where(d => d.Severity == DifferenceSeverity.Blocking)
            .Select(d => $"The schemas diverged since the start: {d.Kind} {d.Object}: {d.Message}").ToList();
        foreach (var w in warnings) context.Logger.LogWarning(Diverged, "{Warning}", w);
        return warnings;
    }
}
