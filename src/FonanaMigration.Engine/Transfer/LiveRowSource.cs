using Npgsql;

using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Transfer;

/// <summary>Rows straight from a live source's <see cref="SourceSnapshot"/>, for Copy; expectations are the snapshot's own checksums.</summary>
internal sealed class LiveRowSource : IRowSource
{
    private readonly SourceSnapshot _snapshot;

    private readonly TimeSpan? _stallLimit;

    private LiveRowSource(SourceSnapshot snapshot, TimeSpan? stallLimit)
    {
        _snapshot = snapshot;
        _stallLimit = stallLimit;
    }

    public string Description => _snapshot.Endpoint.DisplayName;
    public SchemaSnapshot Schema => _snapshot.Schema;
    public IReadOnlyList<TableContent> Tables => _snapshot.Tables;

    public static async Task<LiveRowSource> OpenAsync(DatabaseEndpoint endpoint, TableFilter filter, RunContext context, ChecksumAlgorithm checksum) =>
        new(await SourceSnapshot.OpenAsync(endpoint, filter, "copy source", context, checksum: checksum).ConfigureAwait(false), context.StallTimeout);

    public ChecksumAlgorithm Checksum => _snapshot.Checksum;

    internal SourceSnapshot Snapshot => _snapshot;

    public Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct) =>
        CopyOutIntoAsync(table, CopyFormat.CopyOutSql(table.QualifiedName, table.Columns, table.DataFormat), target, copyIn, onProgress, ct);

    /// <summary>Streams the rows of any COPY … TO STDOUT in the snapshot (a migration map's SELECT) in the table's format.</summary>
    internal async Task<long> CopyOutIntoAsync(TableContent table, string copyOut, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        // Both sides are watched: a link that stops moving bytes fails as TransferStalled instead of hanging.
        using var watch = new StallWatch(_stallLimit, table.Table);
        try
        {
            if (table.DataFormat == CopyFormat.Binary)
            {
                await using var from = await StartSourceAsync(() => watch.RunAsync("source", t => _snapshot.Reader.BeginRawBinaryCopyAsync(copyOut, t), ct)).ConfigureAwait(false);
                var to = await watch.RunAsync("target", t => target.BeginRawBinaryCopyAsync(copyIn, t), ct).ConfigureAwait(false);
                var counter = new BinaryCopyRowCounter();
                await CopyIn.RunAsync(to, () => CopyPump.BytesAsync(watch.Guard(new ObservedStream(from, counter), "source"), watch.Guard(to, "target"), () => counter.Rows, onProgress, ct)).ConfigureAwait(false);
                return counter.Rows;
            }
            using var reader = await StartSourceAsync(() => watch.RunAsync("source", t => _snapshot.Reader.BeginTextExportAsync(copyOut, t), ct)).ConfigureAwait(false);
            var writer = await watch.RunAsync("target", t => target.BeginTextImportAsync(copyIn, t), ct).ConfigureAwait(false);
            long rows = 0;
            await CopyIn.RunAsync(writer, async () => rows = await CopyPump.TextAsync(watch.Guard(reader, "source"), watch.Guard(writer, "target"), onProgress, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return rows;
        }
        catch (SourceReadException ex)
        {
            // A failure while reading belongs to the source: say so, and name the source's endpoint.
            var translated = ServerConnector.Translate(ex.InnerException!, _snapshot.Endpoint, ct);
            throw new MigrationException(translated.Kind, translated.ErrorId, $"Reading {table.Table} from the source failed: {translated.Message}", _snapshot.Endpoint, ex.InnerException);
        }
    }

    private static async Task<T> StartSourceAsync<T>(Func<Task<T>> start)
    {
        try { return await start().ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException and not MigrationException) { throw new SourceReadException(ex); }
    }

    public Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct) => _snapshot.ChecksumAsync(table, ct);

    public ValueTask DisposeAsync() => _snapshot.DisposeAsync();
}
