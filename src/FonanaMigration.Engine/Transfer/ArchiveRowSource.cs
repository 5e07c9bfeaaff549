using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Transfer;

/// <summary>Rows from an archive whose entries were already proven intact; expectations come from its manifest.</summary>
internal sealed class ArchiveRowSource : IRowSource
{
    private readonly ArchiveReader _archive;

    public ArchiveRowSource(ArchiveReader archive, IReadOnlyList<TableContent> tables)
    {
        _archive = archive;
        Tables = tables;
    }

    public string Description => _archive.Path;
    public SchemaSnapshot Schema => _archive.Manifest.Schema;
    public IReadOnlyList<TableContent> Tables { get; }

    public async Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        await using var source = _archive.OpenTable(table);
        if (table.DataFormat == CopyFormat.Binary)
        {
            var raw = await target.BeginRawBinaryCopyAsync(copyIn, ct).ConfigureAwait(false);
            await CopyIn.RunAsync(raw, () => CopyPump.BytesAsync(source, raw, () => source.Rows, onProgress, ct)).ConfigureAwait(false);
        }
        else
        {
            var writer = await target.BeginTextImportAsync(copyIn, ct).ConfigureAwait(false);
            await CopyIn.RunAsync(writer, () => CopyPump.BytesToTextAsync(source, writer, onProgress, ct)).ConfigureAwait(false);
        }
        return source.Rows;
    }

    public Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct) =>
        Task.FromResult(new ContentChecksum(table.Rows, table.ContentChecksum));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
