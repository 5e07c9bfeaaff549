using System.Diagnostics;
using FonanaMigration.Engine.Statistics;
using FonanaMigration.Engine.Verification;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Complete-FonanaReplication, after the application stopped writing: marks the source's WAL after every write it holds
/// (<see cref="CutoverWalMark"/>), waits until the target has confirmed that mark, compares every table's count and
/// content checksum in one snapshot per side, and only when all match moves the sequences, refreshes materialized views,
/// checks every foreign key, runs ANALYZE and removes subscription, slots and publication. Anything that differs leaves replication running, so nothing is lost.
/// </summary>
public static class ReplicationCutover
{
    private static readonly EventId CaughtUp = EngineEvents.CaughtUp;
    private static readonly EventId Verified = EngineEvents.CutoverVerified;

    public static async Task<ReplicationCompletion> CompleteAsync(ReplicationCompleteRequest request, RunContext context)
    {
        var ct = context.CancellationToken;
        var endpoint = request.Target;
        try
        {
            await using var target = await ServerConnector.OpenAsync(request.Target, context, "cut-over target").ConfigureAwait(false);
            endpoint = request.Source;
            await using var source = await ServerConnector.OpenAsync(request.Source, context, "cut-over source").ConfigureAwait(false);
            endpoint = request.Target;

            var status = await FindAsync(request, target, source, context).ConfigureAwait(false);
            var notReady = status.TableStatus.Where(t => t.State != "Ready").ToList();
            if (notReady.Count > 0 || status.State != "Ready")
                throw new MigrationException(FailureKind.InvalidArgument, "ReplicationNotReady",
                    $"{status.Name} is not ready for the cut-over ({status.State}; {status.TablesReady} of {status.Tables} table(s) ready" +
                    (notReady.Count > 0 ? $"; still {string.Join(", ", notReady.Take(5).Select(t => $"{t.Table} {t.State}"))}" : "") +
                    "). Wait with Get-FonanaReplication -Wait. Nothing was changed; replication keeps running.", status.Name);

            // The downtime starts here: the application has stopped writing, and this is the source's last position.
            var clock = Stopwatch.StartNew();
            var lastWrite = await CutoverWalMark.WriteAsync(source, status.Name, ct).ConfigureAwait(false);
            await WaitForConfirmationAsync(source, status.Name, lastWrite, request.CatchUpTimeout, context).ConfigureAwait(false);
            var catchUp = clock.Elapsed;
            context.Logger.LogInformation(CaughtUp, "The target applied the source's writes up to {Lsn} in {Elapsed}.", lastWrite, catchUp);

            var (tables, results) = await CompareAsync(request, status.Name, context).ConfigureAwait(false);
            var compared = clock.Elapsed;
            var differing = results.Where(r => !r.Match).ToList();
            if (differing.Count > 0)
                throw new MigrationException(FailureKind.VerificationFailed, "ReplicationNotInSync",
                    $"{differing.Count} table(s) differ between source and target: {string.Join(", ", differing.Take(10).Select(Describe))}" +
                    $"{(differing.Count > 10 ? ", …" : "")}. Is the application still writing to the source? Nothing was removed: replication keeps running. " +
                    "Stop the writes and run Complete-FonanaReplication again.", differing.Select(d => d.Name).ToArray()) { Details = results };

            var targetSchema = await SchemaReader.ReadAsync(target, context).ConfigureAwait(false);
            var migrated = tables.Select(t => t.QualifiedName).ToHashSet();
            var (fkChecked, violated) = await CutoverForeignKeyCheck.RunAsync(target, targetSchema, migrated, ct).ConfigureAwait(false);
            if (violated.Count > 0)
                throw new MigrationException(FailureKind.VerificationFailed, "ForeignKeyViolatedOnTarget",
                    $"Rows on the target point at nothing: {string.Join("; ", violated.Take(10))}. The source holds the same rows (its own constraints " +
                    "are NOT VALID or were bypassed). Nothing was removed: replication keeps running; fix the rows on the source, then complete again.", violated.ToArray());

            var fkDone = clock.Elapsed;
            var sequences = await CutoverSequences.ApplyAsync(source, target, targetSchema, migrated, context).ConfigureAwait(false);
            var views = await CutoverMaterializedViews.RefreshAsync(target, targetSchema, context).ConfigureAwait(false);
            // Inside the downtime, so on two sessions, largest first, as after an offline load. The rows are verified by
            // now: a table the server will not analyze is a warning, not a reason to keep the application waiting.
            await PlannerStatistics.RefreshAsync(target, request.Target, tables.Select(t => t.QualifiedName).ToList(), context).ConfigureAwait(false);
            // ANALYZE takes a cancel as a warning; the cut-over must still stop here, before anything is removed.
            ct.ThrowIfCancellationRequested();

            var prepared = clock.Elapsed;
            var removed = await ReplicationTeardown.RemoveAsync(status.Name, source, target, clean: false, context, ct: CancellationToken.None).ConfigureAwait(false);
            var downtime = clock.Elapsed;
            // Where the downtime went, for the bench and for anyone tuning a cut-over.
            context.Logger.LogInformation(Verified, "Cut-over phases: caught up {CatchUp}, compared {Compared}, foreign keys {ForeignKeys}, sequences/views/ANALYZE {Prepared}, removal {Removal}.",
                catchUp, compared - catchUp, fkDone - compared, prepared - fkDone, downtime - prepared);
            context.Logger.LogInformation(Verified, "Cut over {Name}: {Tables} table(s) verified, {Sequences} sequence(s) set, {Views} materialized view(s) refreshed; downtime {Downtime}.",
                status.Name, results.Count, sequences, views, downtime);
            return new ReplicationCompletion
            {
                Name = status.Name,
                Source = request.Source.DisplayName,
                Target = request.Target.DisplayName,
                Verified = true,
                Rows = results.Sum(r => r.Actual ?? 0),
                TableResults = results,
                SequencesSet = sequences,
                MaterializedViewsRefreshed = views,
                ForeignKeysChecked = fkChecked,
                Downtime = downtime,
                CatchUp = catchUp,
                Removed = removed,
            };
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, ct);
        }
    }

    private static string Describe(RowCountComparison r) =>
        r.Expected == r.Actual ? $"{r.Name} (same {r.Actual} rows, different content)" : $"{r.Name} (source {r.Expected}, target {r.Actual} rows)";

    internal static async Task<ReplicationStatus> FindAsync(ReplicationCompleteRequest request, NpgsqlConnection target, NpgsqlConnection source, RunContext context)
    {
        var all = (await ReplicationMonitor.ReadAsync(new ReplicationStatusRequest { Target = request.Target, Source = request.Source, Name = request.Name }, target, source, context)
            .ConfigureAwait(false)).Where(s => s.State != "Orphaned").ToList();
        return all.Count switch
        {
            1 => all[0],
            0 => throw new MigrationException(FailureKind.ObjectNotFound, "ReplicationNotFound",
                $"No online migration{(request.Name is null ? "" : " named " + request.Name)} runs from {request.Source.DisplayName} to {request.Target.DisplayName}. " +
                "Get-FonanaReplication lists them.", request.Name ?? (object)request.Target),
            _ => throw new MigrationException(FailureKind.InvalidArgument, "ReplicationAmbiguous",
                $"Several online migrations run on {request.Target.DisplayName} ({string.Join(", ", all.Select(s => s.Name))}): say which with -Name.", all[0].Name),
        };
    }

    /// <summary>Waits until the slot's confirmed position (what the target has applied and flushed) reaches <paramref name="lsn"/>.</summary>
    private static async Task WaitForConfirmationAsync(NpgsqlConnection source, string name, string lsn, TimeSpan timeout, RunContext context)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var confirmed = await ServerStatement.ScalarAsync<bool?>(source,
                "SELECT confirmed_flush_lsn >= @l::pg_lsn FROM pg_replication_slots WHERE slot_name = @n", context.CancellationToken, ("l", lsn), ("n", name)).ConfigureAwait(false);
            if (confirmed is null)
                throw new MigrationException(FailureKind.ObjectNotFound, "ReplicationSlotMissing",
                    $"The source has no replication slot {name}: the target cannot be receiving its changes. Stop-FonanaReplication removes the rest; start again.", name);
            if (confirmed == true) return;
            if (deadline.Elapsed > timeout)
                throw new MigrationException(FailureKind.VerificationFailed, "ReplicationCatchUpTimeout",
                    $"The target did not apply the source's writes up to {lsn} within {timeout}. Get-FonanaReplication shows its lag and errors. " +
                    "Nothing was removed: replication keeps running.", name);
            await Task.Delay(50, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Count and checksum of every migrated leaf table, each side in one REPEATABLE READ snapshot. The two sides are
    /// computed at the same time (one server each), which halves this part of the downtime.
    /// </summary>
    private static async Task<(List<TableSchema> Tables, List<RowCountComparison> Results)> CompareAsync(ReplicationCompleteRequest request, string name, RunContext context)
    {
        var ct = context.CancellationToken;
        await using var source = await ReadOnlySnapshot.OpenAsync(request.Source, context, "cut-over source snapshot").ConfigureAwait(false);
        var schema = await SchemaReader.ReadAsync(source.Connection, context).ConfigureAwait(false);
        var leaves = (await ServerStatement.RowsAsync(source.Connection, """
            SELECT DISTINCT n.nspname, c.relname FROM pg_publication p JOIN pg_publication_rel pr ON pr.prpubid = p.oid
            CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(pr.prrelid) WHERE isleaf UNION SELECT pr.prrelid) t
            JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE p.pubname = @n
            """, r => new QualifiedName(r.GetString(0), r.GetString(1)), ct, ("n", name)).ConfigureAwait(false)).ToHashSet();
        var tables = schema.Tables.Where(t => t.Kind == "r" && leaves.Contains(t.QualifiedName)).OrderBy(t => t.QualifiedName.ToString(), StringComparer.Ordinal).ToList();
        // pg_partition_tree lists nothing for a table outside any partition tree, hence the UNION; and an empty list
        // must never pass for a verified migration.
        if (tables.Count == 0)
            throw new MigrationException(FailureKind.ObjectNotFound, "ReplicationNotFound",
                $"The source's publication {name} lists no table to compare. Nothing was removed.", name);

        // The target's snapshot opens before either side sums, so both use the cheapest checksum both servers compute.
        await using var target = await ReadOnlySnapshot.OpenAsync(request.Target, context, "cut-over target snapshot").ConfigureAwait(false);
        var algorithm = ChecksumAlgorithm.CommonTo(schema.Server.VersionNumber, await ServerIdentity.VersionNumberAsync(target.Connection, ct).ConfigureAwait(false));
        async Task<List<ContentChecksum>> SumsAsync(Npgsql.NpgsqlConnection connection)
        {
            var sums = new List<ContentChecksum>();
            foreach (var t in tables) sums.Add(await ContentChecksum.ComputeAsync(connection, t.QualifiedName, Columns(t), algorithm, ct).ConfigureAwait(false));
            return sums;
        }
        var sourceSums = SumsAsync(source.Connection);
        var targetSums = SumsAsync(target.Connection);
        await Task.WhenAll(sourceSums, targetSums).ConfigureAwait(false);

        var results = tables.Select((t, i) =>
        {
            var (e, a) = (sourceSums.Result[i], targetSums.Result[i]);
            return new RowCountComparison
            {
                Name = t.QualifiedName.ToString(), Expected = e.Rows, Actual = a.Rows, ExpectedChecksum = e.Checksum, ActualChecksum = a.Checksum,
                ChecksumAlgorithm = algorithm.Name,
                Note = e.Rows == a.Rows && e.Checksum != a.Checksum ? "Same number of rows, different content." : null,
            };
        }).ToList();
        return (tables, results);
    }

    private static List<string> Columns(TableSchema t) => t.CopiedColumns.Select(c => c.Name).ToList();
}
