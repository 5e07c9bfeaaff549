using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>Rows straight from a live source's <see cref="SourceSnapshot"/>, for Copy; expectations are the snapshot's own checksums.</summary>
internal sealed class LiveRowSource : IRowSource
{
    private readonly SourceSnapshot _snapshot;

    private LiveRowSource(SourceSnapshot snapshot) => _snapshot = snapshot;

    public string Description => _snapshot.Endpoint.DisplayName;
    public SchemaSnapshot Schema => _snapshot.Schema;
    public IReadOnlyList<ArchivedTable> Tables => _snapshot.Tables;

    public static async Task<LiveRowSource> OpenAsync(DatabaseEndpoint endpoint, TableFilter filter, RunContext context) =>
        new(await SourceSnapshot.OpenAsync(endpoint, filter, "copy source", context).ConfigureAwait(false));

    internal SourceSnapshot Snapshot => _snapshot;

    public Task<long> CopyIntoAsync(ArchivedTable table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct) =>
        CopyOutIntoAsync(table, CopyFormat.CopyOutSql(table.QualifiedName, table.Columns, table.DataFormat), target, copyIn, onProgress, ct);

    /// <summary>Streams the rows of any COPY … TO STDOUT in the snapshot (a migration map's SELECT) in the table's format.</summary>
    internal async Task<long> CopyOutIntoAsync(ArchivedTable table, string copyOut, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        try
        {
            if (table.DataFormat == CopyFormat.Binary)
            {
                await using var from = await StartSourceAsync(() => _snapshot.Reader.BeginRawBinaryCopyAsync(copyOut, ct)).ConfigureAwait(false);
                var to = await target.BeginRawBinaryCopyAsync(copyIn, ct).ConfigureAwait(false);
                var counter = new BinaryCopyRowCounter();
                await CopyCompletion.RunAsync(to, () => CopyPump.BytesAsync(new ObservedStream(from, counter), to, () => counter.Rows, onProgress, ct)).ConfigureAwait(false);
                return counter.Rows;
            }
            using var reader = await StartSourceAsync(() => _snapshot.Reader.BeginTextExportAsync(copyOut, ct)).ConfigureAwait(false);
            var writer = await target.BeginTextImportAsync(copyIn, ct).ConfigureAwait(false);
            long rows = 0;
            await CopyCompletion.RunAsync(writer, async () => rows = await CopyPump.TextAsync(reader, writer, onProgress, ct).ConfigureAwait(false)).ConfigureAwait(false);
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
        catch (Exception ex) when (ex is not OperationCanceledException) { throw new SourceReadException(ex); }
    }

    public Task<ContentChecksum> ExpectedAsync(ArchivedTable table, CancellationToken ct) => _snapshot.ChecksumAsync(table, ct);

    public ValueTask DisposeAsync() => _snapshot.DisposeAsync();
}
