using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Sequences;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Verification;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// A consistent view of a live source, read by two connections at once. The reader opens a REPEATABLE READ, READ ONLY,
/// DEFERRABLE transaction and exports its snapshot (pg_export_snapshot); the checker joins that same snapshot and
/// computes each table's row count and content checksum while the reader streams the rows, so proving what was read
/// costs no extra wall time. Everything either connection sees belongs to the same moment.
/// </summary>
internal sealed class SourceSnapshot : IAsyncDisposable
{
    private static readonly EventId Shared = EngineEvents.SnapshotShared;

    private readonly NpgsqlConnection _checker;
    private readonly CancellationTokenSource _checking;
    private readonly Dictionary<string, Task<ContentChecksum>> _expected = new();
    private Task _checkingDone = Task.CompletedTask;

    private SourceSnapshot(DatabaseEndpoint endpoint, NpgsqlConnection reader, NpgsqlConnection checker, SchemaSnapshot schema,
        IReadOnlyList<TableSchema> tableSchemas, IReadOnlyList<TableContent> tables, CancellationToken ct)
    {
        Endpoint = endpoint;
        Reader = reader;
        _checker = checker;
        Schema = schema;
        TableSchemas = tableSchemas;
        Tables = tables;
        _checking = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public DatabaseEndpoint Endpoint { get; }
    /// <summary>The connection that streams rows; its transaction holds the snapshot.</summary>
    public NpgsqlConnection Reader { get; }
    public SchemaSnapshot Schema { get; }
    public IReadOnlyList<TableSchema> TableSchemas { get; }
    /// <summary>Selected tables with columns, data format and sequences; Rows is the planner's estimate until counted.</summary>
    public IReadOnlyList<TableContent> Tables { get; }
    /// <summary>How the checker computes each table's content checksum.</summary>
    public ChecksumAlgorithm Checksum { get; private init; } = ChecksumAlgorithm.RowText;

    /// <param name="checksum">The algorithm of the checksums; by default the cheapest this source computes (an export's
    /// own choice). A copy passes the one both of its servers compute.</param>
    public static async Task<SourceSnapshot> OpenAsync(DatabaseEndpoint endpoint, TableFilter filter, string purpose, RunContext context, TimeSpan? lockTimeout = null,
        ChecksumAlgorithm? checksum = null)
    {
        var ct = context.CancellationToken;
        var reader = await ServerConnector.OpenAsync(endpoint, context, purpose).ConfigureAwait(false);
        NpgsqlConnection? checker = null;
        try
        {
            await Sql.ExecuteAsync(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE", context).ConfigureAwait(false);
            string snapshotId;
            await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", reader))
                snapshotId = (string)(await export.ExecuteScalarAsync(ct).ConfigureAwait(false))!;

            checker = await ServerConnector.OpenAsync(endpoint, context, purpose + " checksums").ConfigureAwait(false);
            await Sql.ExecuteAsync(checker, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", context).ConfigureAwait(false);
            await Sql.ExecuteAsync(checker, $"SET TRANSACTION SNAPSHOT '{snapshotId}'", context).ConfigureAwait(false);
            context.Logger.LogInformation(Shared, "Reading {Endpoint} in snapshot {Snapshot} (REPEATABLE READ, READ ONLY), shared by the rows and their checksums.", endpoint.DisplayName, snapshotId);

            // A Prisma URL's schema= narrows what is read. Lock before anything is read (the schema included): TRUNCATE and DDL wait for this snapshot from here on.
            var scoped = filter.ForSchema(endpoint.Schema);
            var timeout = lockTimeout ?? SnapshotLocks.DefaultTimeout;
            var locked = await SnapshotLocks.TakeForFilterAsync(reader, scoped, timeout, endpoint, context).ConfigureAwait(false);
            await SnapshotLocks.TakeForFilterAsync(checker, scoped, timeout, endpoint, context).ConfigureAwait(false);
            SchemaSnapshot schema;
            try { schema = await SchemaReader.ReadAsync(reader, context).ConfigureAwait(false); }
            catch (Exception ex) when (SnapshotLocks.IsLockTimeout(ex)) { throw SnapshotLocks.Busy("A table the schema names", timeout, endpoint, ex); }
            var selected = TableSelection.Select(schema, scoped);
            var names = selected.Select(t => t.QualifiedName).ToList();
            var unlocked = names.Where(n => !locked.Contains(n)).ToList();
            await SnapshotLocks.TakeAsync(reader, unlocked, timeout, endpoint, context).ConfigureAwait(false);
            await SnapshotLocks.TakeAsync(checker, unlocked, timeout, endpoint, context).ConfigureAwait(false);
            await SnapshotLocks.EnsureNotRewrittenAsync(reader, names, endpoint, ct).ConfigureAwait(false);
            await RowSecurityGuard.EnsureAllRowsVisibleAsync(reader, selected, ct).ConfigureAwait(false);
            await MaterializedViewMeasure.MeasureSourceAsync(reader, schema, selected, ct).ConfigureAwait(false);
            var tables = new List<TableContent>();
            foreach (var t in selected)
            {
                tables.Add(new TableContent
                {
                    Schema = t.Schema, Name = t.Name, Columns = t.CopiedColumns.Select(c => c.Name).ToList(), DataFormat = CopyFormat.For(t),
                    Rows = await EstimateRowsAsync(reader, t.QualifiedName, ct).ConfigureAwait(false),
                    Sequences = await ReadSequencesAsync(reader, t, ct).ConfigureAwait(false),
                });
            }
            var snapshot = new SourceSnapshot(endpoint, reader, checker, schema, selected, tables, ct)
            {
                Checksum = checksum ?? ChecksumAlgorithm.CommonTo(schema.Server.VersionNumber),
            };
            snapshot.StartChecksums();
            return snapshot;
        }
        catch (Exception ex)
        {
            if (checker is not null) await checker.DisposeAsync().ConfigureAwait(false);
            await reader.DisposeAsync().ConfigureAwait(false);
            throw ex is MigrationException ? ex : ServerConnector.Translate(ex, endpoint, ct);
        }
    }

    /// <summary>Row count and content checksum of a table in the snapshot (computed by the checker connection).</summary>
    public Task<ContentChecksum> ChecksumAsync(TableContent table, CancellationToken ct) => _expected[table.Table].WaitAsync(ct);

    // One query per table, in order, on the checker connection; each table's task completes as its checksum arrives.
    private void StartChecksums()
    {
        var completions = Tables.ToDictionary(t => t.Table, _ => new TaskCompletionSource<ContentChecksum>(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var (name, completion) in completions) _expected[name] = completion.Task;
        _checkingDone = Task.Run(async () =>
        {
            foreach (var table in Tables)
            {
                try
                {
                    completions[table.Table].SetResult(await ContentChecksum.ComputeAsync(_checker, table.QualifiedName, table.Columns, Checksum, _checking.Token).ConfigureAwait(false));
                }
                catch (Exception ex)
                {
                    var failure = ex is MigrationException ? ex : ServerConnector.Translate(ex, Endpoint, _checking.Token);
                    foreach (var pending in completions.Values) pending.TrySetException(failure);
                    return;
                }
            }
        });
    }

    private static async Task<long> EstimateRowsAsync(NpgsqlConnection connection, QualifiedName table, CancellationToken ct)
    {
        // For progress only: what the planner believes (reltuples is -1 when never analyzed).
        await using var cmd = new NpgsqlCommand("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = @name::regclass", connection);
        cmd.Parameters.AddWithValue("name", table.Sql);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task<List<SequenceState>> ReadSequencesAsync(NpgsqlConnection connection, TableSchema table, CancellationToken ct)
    {
        // Serial, identity and DEFAULT nextval(...) sequences alike: the target must never hand out a number the source used.
        var copied = table.CopiedColumns.Select(c => c.Name).ToHashSet();
        var result = new List<SequenceState>();
        foreach (var use in await SequenceUse.ReadAsync(connection, new[] { table.QualifiedName }, ct).ConfigureAwait(false))
        {
            if (use.Table != table.QualifiedName || !copied.Contains(use.Column)) continue;
            var (last, called) = await SequenceUse.ReadPositionAsync(connection, use.Sequence, ct).ConfigureAwait(false);
            result.Add(new SequenceState { Column = use.Column, Sequence = use.Sequence, LastValue = last, IsCalled = called });
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _checking.Cancel();
        try { await _checkingDone.ConfigureAwait(false); } catch (Exception) { }
        await _checker.DisposeAsync().ConfigureAwait(false);
        await Reader.DisposeAsync().ConfigureAwait(false);
        _checking.Dispose();
    }
}
