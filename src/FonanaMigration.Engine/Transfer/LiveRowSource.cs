using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>
/// Rows straight from a live source, for Copy. One connection streams every table inside a REPEATABLE READ, READ ONLY,
/// DEFERRABLE snapshot; a second connection joins the same snapshot (pg_export_snapshot) and computes each table's
/// row count and content checksum at the same time, so the verified commit costs the source no extra wall time.
/// </summary>
internal sealed class LiveRowSource : IRowSource
{
    private static readonly EventId Snapshot = new(600, "SnapshotShared");

    private readonly NpgsqlConnection _reader;
    private readonly NpgsqlConnection _checker;
    private readonly Dictionary<string, Task<ContentChecksum>> _expected = new();
    private readonly CancellationTokenSource _checking;
    private Task _checkingDone = Task.CompletedTask;

    private LiveRowSource(DatabaseEndpoint endpoint, NpgsqlConnection reader, NpgsqlConnection checker, SchemaSnapshot schema, IReadOnlyList<ArchivedTable> tables, CancellationToken ct)
    {
        Endpoint = endpoint;
        _reader = reader;
        _checker = checker;
        Schema = schema;
        Tables = tables;
        _checking = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    public DatabaseEndpoint Endpoint { get; }
    public string Description => Endpoint.DisplayName;
    public SchemaSnapshot Schema { get; }
    public IReadOnlyList<ArchivedTable> Tables { get; }

    public static async Task<LiveRowSource> OpenAsync(DatabaseEndpoint endpoint, TableFilter filter, RunContext context)
    {
        var ct = context.CancellationToken;
        var reader = await ServerConnector.OpenAsync(endpoint, context, "copy source").ConfigureAwait(false);
        NpgsqlConnection? checker = null;
        try
        {
            await Sql.ExecuteAsync(reader, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE", context).ConfigureAwait(false);
            string snapshotId;
            await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", reader))
                snapshotId = (string)(await export.ExecuteScalarAsync(ct).ConfigureAwait(false))!;

            checker = await ServerConnector.OpenAsync(endpoint, context, "copy checksums").ConfigureAwait(false);
            await Sql.ExecuteAsync(checker, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", context).ConfigureAwait(false);
            await Sql.ExecuteAsync(checker, $"SET TRANSACTION SNAPSHOT '{snapshotId}'", context).ConfigureAwait(false);
            context.Logger.LogInformation(Snapshot, "Reading {Endpoint} in snapshot {Snapshot}, shared by the copy and its checksums.", endpoint.DisplayName, snapshotId);

            var schema = await SchemaReader.ReadAsync(reader, context).ConfigureAwait(false);
            var selected = DatabaseExporter.SelectTables(schema, filter);
            await RowSecurityGuard.EnsureAllRowsVisibleAsync(reader, selected, ct).ConfigureAwait(false);
            var estimates = await EstimateRowsAsync(reader, selected, ct).ConfigureAwait(false);
            var tables = new List<ArchivedTable>();
            foreach (var t in selected)
            {
                tables.Add(new ArchivedTable
                {
                    Schema = t.Schema, Name = t.Name, Columns = t.CopiedColumns.Select(c => c.Name).ToList(), DataFormat = CopyFormat.For(t),
                    Rows = estimates.GetValueOrDefault(t.QualifiedName), Sequences = await DatabaseExporter.ReadSequencesAsync(reader, t, ct).ConfigureAwait(false),
                });
            }
            var source = new LiveRowSource(endpoint, reader, checker, schema, tables, ct);
            source.StartChecksums();
            return source;
        }
        catch (Exception ex)
        {
            if (checker is not null) await checker.DisposeAsync().ConfigureAwait(false);
            await reader.DisposeAsync().ConfigureAwait(false);
            throw ex is MigrationException ? ex : ServerConnector.Translate(ex, endpoint, ct);
        }
    }

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
                    completions[table.Table].SetResult(await ContentChecksum.ComputeAsync(_checker, table.QualifiedName, table.Columns, _checking.Token).ConfigureAwait(false));
                }
                catch (Exception ex)
                {
                    foreach (var pending in completions.Values) pending.TrySetException(ex);
                    return;
                }
            }
        });
    }

    public async Task<long> CopyIntoAsync(ArchivedTable table, NpgsqlConnection target, string copyIn, Action<long> onRows, CancellationToken ct)
    {
        var copyOut = CopyFormat.CopyOutSql(table.QualifiedName, table.Columns, table.DataFormat);
        try
        {
            if (table.DataFormat == CopyFormat.Binary)
            {
                await using var from = await _reader.BeginRawBinaryCopyAsync(copyOut, ct).ConfigureAwait(false);
                var to = await target.BeginRawBinaryCopyAsync(copyIn, ct).ConfigureAwait(false);
                var counter = new BinaryCopyRowCounter();
                await CopyCompletion.RunAsync(to, () => CopyPump.BytesAsync(new ObservedStream(from, counter), to, () => counter.Rows, onRows, ct)).ConfigureAwait(false);
                return counter.Rows;
            }
            using var reader = await _reader.BeginTextExportAsync(copyOut, ct).ConfigureAwait(false);
            var writer = await target.BeginTextImportAsync(copyIn, ct).ConfigureAwait(false);
            long rows = 0;
            await CopyCompletion.RunAsync(writer, async () => rows = await CopyPump.TextAsync(reader, writer, onRows, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return rows;
        }
        catch (PostgresException pg) when (pg.SqlState.StartsWith("42", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal))
        {
            throw ServerConnector.Translate(pg, Endpoint, ct);
        }
    }

    public Task<ContentChecksum> ExpectedAsync(ArchivedTable table, CancellationToken ct) => _expected[table.Table].WaitAsync(ct);

    private static async Task<Dictionary<QualifiedName, long>> EstimateRowsAsync(NpgsqlConnection connection, IReadOnlyList<TableSchema> tables, CancellationToken ct)
    {
        // Progress only: pg_class.reltuples is what the planner believes (-1 when never analyzed).
        var result = new Dictionary<QualifiedName, long>();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = '{table.QualifiedName.Sql.Replace("'", "''")}'::regclass", connection);
            result[table.QualifiedName] = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _checking.Cancel();
        try { await _checkingDone.ConfigureAwait(false); } catch (Exception) { }
        await _checker.DisposeAsync().ConfigureAwait(false);
        await _reader.DisposeAsync().ConfigureAwait(false);
        _checking.Dispose();
    }
}
