using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Mapping;
using FonanaMigration.Engine.Sequences;
using FonanaMigration.Engine.Statistics;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Verification;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// The load both Import and Copy perform: checks the target's schema against the source's, refuses a target holding
/// rows (unless Clean), then in ONE transaction loads every table in an order the foreign keys accept, rebuilds what
/// was deferred, compares each table's row count and content checksum with the source's before
/// COMMIT, then moves the sequences (<see cref="FinalCommit"/>). Any failure or cancellation rolls back: the target is either fully loaded or exactly as it was.
/// </summary>
internal static class TransactionalLoad
{
    private static readonly EventId Loaded = EngineEvents.TableLoaded;
    private static readonly EventId Committed = EngineEvents.Committed;
    private static readonly EventId Strategy = EngineEvents.LoadStrategy;
    private static readonly EventId ContentVerified = EngineEvents.ContentVerified;

    public static async Task<TargetLoadResult> RunAsync(IRowSource source, LoadOptions options, RunContext context)
    {
        var ct = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        await using var connection = await ServerConnector.OpenAsync(options.Target, context, options.Activity.ToLowerInvariant()).ConfigureAwait(false);
        try
        {
            var targetSchema = await SchemaReader.ReadAsync(connection, context).ConfigureAwait(false);
            source.Checksum.EnsureRunsOn(targetSchema.Server.VersionNumber, targetSchema.Server.Version, options.Target, source.Description);
            // A migration map's validation (every problem listed) replaces the plain schema check; its Tables are then the target's.
            if (source is IMappedRowSource mapped) await mapped.ResolveAsync(connection, targetSchema, context).ConfigureAwait(false);
            var selected = source.Tables.Select(t => t.QualifiedName).ToHashSet();
            var blocking = source is IMappedRowSource ? new List<SchemaDifference>() : SchemaComparer.Compare(source.Schema, targetSchema, selected.Contains)
                .Where(d => d.Severity == DifferenceSeverity.Blocking).ToList();
            if (blocking.Count > 0)
                throw new MigrationException(FailureKind.SchemaIncompatible, "SchemaIncompatible",
                    $"The target {options.Target.DisplayName} is not compatible with {source.Description} ({blocking.Count} blocking difference(s)): " +
                    string.Join("; ", blocking.Take(5).Select(d => $"{d.Kind} {d.Object}")) + (blocking.Count > 5 ? "; …" : "") +
                    ". Run Test-FonanaSchema for the full list.", options.Target) { Details = blocking };

            var occupied = await FindOccupiedTablesAsync(connection, source.Tables, ct).ConfigureAwait(false);
            if (occupied.Count > 0 && !options.Clean)
                throw new MigrationException(FailureKind.TargetNotEmpty, "TargetNotEmpty",
                    $"The target already holds rows in {string.Join(", ", occupied)}. Nothing was changed. Use -Clean (with -BackupPath) to replace them.",
                    options.Target);
            // Only now: staging an archive for a map copies all of it onto the target, and a refusal above is known without it.
            if (source is IMappedRowSource staging) await staging.StageAsync(connection, context).ConfigureAwait(false);
            var tables = source.Tables;

            var views = MaterializedViewRefresh.Plan(targetSchema, source.Schema, selected);
            var preflight = await TargetLoadPreflight.CheckAsync(connection, selected.ToList(), options.Clean && occupied.Count > 0, views.Views, options.Target, context).ConfigureAwait(false);

            var targetTables = tables.Select(t => targetSchema.FindTable(t.QualifiedName)!).ToList();
            var graph = ForeignKeyGraph.Build(targetTables, targetSchema);
            var byName = tables.ToDictionary(t => t.QualifiedName);
            var tally = new TableLoadTally();
            long totalRows = tables.Sum(t => t.Rows), doneRows = 0;
            void Step(string status) => context.Report(new TransferProgress(options.Activity, status, null, doneRows, totalRows, 0, clock.Elapsed));

            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            // Writers are kept out for the whole load. Readers still see the old rows until COMMIT, except where TRUNCATE or
            // dropping deferred foreign keys and indexes takes ACCESS EXCLUSIVE locks (on referenced tables too).
            if (tables.Count > 0)
                await Sql.ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", tables.Select(t => "ONLY " + t.QualifiedName.Sql))} IN EXCLUSIVE MODE", context).ConfigureAwait(false);
            var sequences = await SequenceAdvance.PrepareAsync(connection, tables, context).ConfigureAwait(false);
            // Under the lock and before the TRUNCATE: the backup holds exactly the rows the TRUNCATE removes.
            var backup = options.Clean && options.BackupPath is not null
                ? await CleanBackup.WriteAsync(connection, targetTables, targetSchema, options.BackupPath, options.Target, context).ConfigureAwait(false)
                : null;
            if (options.Clean && occupied.Count > 0)
                await Sql.ExecuteAsync(connection, $"TRUNCATE TABLE {string.Join(", ", tables.Select(t => "ONLY " + t.QualifiedName.Sql))}", context).ConfigureAwait(false);
            var freeze = await FrozenLoad.PrepareAsync(connection, tables, options.Clean && occupied.Count > 0, context).ConfigureAwait(false);

            await preflight.LiftAsync(connection, context).ConfigureAwait(false);
            await ApplicationSearchPath.UseAsync(connection, context).ConfigureAwait(false);

            DeferredConstraints deferred;
            if (options.DeferConstraints && tables.Count > 0 && await DeferredConstraints.CanDeferAsync(connection, selected, ct).ConfigureAwait(false))
            {
                context.Logger.LogInformation(Strategy, "Loading with keys, indexes and foreign keys deferred (the role owns every table): each is built once after the rows are in.");
                deferred = DeferredConstraints.Plan(targetTables, targetSchema.Tables);
            }
            else
            {
                context.Logger.LogInformation(Strategy, "Loading in foreign-key order with constraints in place; {Cycles} foreign key(s) close a cycle and are re-added after the load.", graph.CycleBreakers.Count);
                deferred = DeferredConstraints.ForeignKeysOnly(graph.CycleBreakers);
            }
            await deferred.DropAsync(connection, context).ConfigureAwait(false);

            foreach (var name in graph.LoadOrder)
            {
                var table = byName[name];
                var started = clock.Elapsed;
                var (rows, bytes) = await LoadTableAsync(connection, source, table, freeze, doneRows, totalRows, clock, options.Activity, context).ConfigureAwait(false);
                doneRows += rows;
                context.Logger.LogInformation(Loaded, "Loaded {Table}: {Rows} rows in {Elapsed}.", table.Table, rows, clock.Elapsed - started);
                tally.Add(table, rows, bytes, clock.Elapsed - started);
            }

            await IndexBuildMemory.ApplyAsync(connection, context).ConfigureAwait(false);
            await deferred.RestoreAsync(connection, context, Step).ConfigureAwait(false);
            var refreshed = await views.ApplyAsync(connection, context, Step).ConfigureAwait(false);
            await ApplicationSearchPath.LeaveAsync(connection, context).ConfigureAwait(false);

            Step("Verifying counts and checksums before COMMIT");
            var expected = new Dictionary<string, ContentChecksum>();
            foreach (var table in tables) expected[table.Table] = await source.ExpectedAsync(table, ct).ConfigureAwait(false);
            await VerifyBeforeCommitAsync(connection, tables, expected, context).ConfigureAwait(false);
            // Its own line so the timeline separates verification from COMMIT (bench/ reads it).
            context.Logger.LogInformation(ContentVerified, "Verified {Tables} tables' counts and checksums against the source.", tables.Count);
            // After verifying: under FORCE the owner's own checksum query would see only what the policies allow.
            await preflight.RestoreAsync(connection, context).ConfigureAwait(false);
            var moved = await FinalCommit.RunAsync(connection, tx, sequences, tables, options.Target, context).ConfigureAwait(false);
            context.Logger.LogInformation(Committed, "Committed {Rows} rows in {Tables} tables on {Endpoint}.", doneRows, tables.Count, options.Target.DisplayName);

            await PlannerStatistics.RefreshAsync(connection, options.Target, tables.Select(t => t.QualifiedName).ToList(), context).ConfigureAwait(false);
            context.Report(new TransferProgress(options.Activity, "Done", null, doneRows, totalRows, 0, clock.Elapsed, Completed: true));

            return new TargetLoadResult
            {
                Target = options.Target,
                Tables = tally.Results(options.Clean ? occupied : Array.Empty<string>(), freeze, deferred, sequences, moved),
                MaterializedViews = refreshed,
                Verified = true,
                Cleaned = options.Clean && occupied.Count > 0,
                BackupPath = backup,
                Sequences = moved,
                Dropped = (source as IMappedRowSource)?.Dropped ?? Array.Empty<MapDrop>(),
                Elapsed = clock.Elapsed,
            };
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, options.Target, ct);
        }
    }

    private static async Task<List<string>> FindOccupiedTablesAsync(NpgsqlConnection connection, IReadOnlyList<TableContent> tables, CancellationToken ct)
    {
        var occupied = new List<string>();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM ONLY {table.QualifiedName.Sql})", connection);
            if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
                occupied.Add(table.Table);
        }
        return occupied;
    }

    private static async Task<(long Rows, long Bytes)> LoadTableAsync(NpgsqlConnection connection, IRowSource source, TableContent table, bool freeze,
        long doneBefore, long totalRows, Stopwatch clock, string activity, RunContext context)
    {
        var copy = FrozenLoad.WithFreeze(CopyFormat.CopyInSql(table.QualifiedName, table.Columns, table.DataFormat), freeze);
        Sql.Log(copy, context);
        try
        {
            long streamed = 0;
            var loaded = await source.CopyIntoAsync(table, connection, copy, (rows, bytes) =>
            {
                streamed = bytes;
                context.Report(new TransferProgress(activity, $"Loading {table.Table}", table.Table, doneBefore + rows, totalRows, bytes, clock.Elapsed));
            }, context.CancellationToken).ConfigureAwait(false);
            return (loaded, streamed);
        }
        catch (PostgresException pg) when (pg.SqlState is not "57014")
        {
            throw new MigrationException(FailureKind.InvalidData, "TargetRejectedRow",
                $"The target rejected the data of {table.Table}: {ServerErrorText.Describe(pg, context.IncludeRowValues)}. Nothing was committed.",
                table.Table, ServerErrorText.Inner(pg, context.IncludeRowValues));
        }
    }

    private static async Task VerifyBeforeCommitAsync(NpgsqlConnection connection, IReadOnlyList<TableContent> tables,
        IReadOnlyDictionary<string, ContentChecksum> expected, RunContext context)
    {
        var differing = new List<string>();
        foreach (var table in tables)
        {
            var want = expected[table.Table];
            var actual = await ContentChecksum.ComputeAsync(connection, table.QualifiedName, table.Columns, want.Algorithm, context.CancellationToken).ConfigureAwait(false);
            if (actual.Rows != want.Rows || actual.Checksum != want.Checksum)
                differing.Add($"{table.Table} (rows {actual.Rows}/{want.Rows}{(actual.Rows == want.Rows ? ", content differs" : "")})");
        }
        if (differing.Count > 0)
            throw new MigrationException(FailureKind.VerificationFailed, "ImportVerificationFailed",
                $"After loading, the target does not hold what the source holds: {string.Join(", ", differing)}. Everything was rolled back.", differing[0]);
    }
}
