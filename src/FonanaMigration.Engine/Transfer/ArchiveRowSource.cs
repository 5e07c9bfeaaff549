using Npgsql;

using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Transfer;

/// <summary>Rows from an archive whose entries were already proven intact, proven again as they are read (the file may
/// have changed since); expectations come from its manifest.</summary>
internal sealed class ArchiveRowSource : IRowSource
{
    private readonly ArchiveReader _archive;

    private readonly TimeSpan? _stallLimit;

    public ArchiveRowSource(ArchiveReader archive, IReadOnlyList<TableContent> tables, TimeSpan? stallLimit = null)
    {
        _archive = archive;
        Tables = tables;
        _stallLimit = stallLimit;
        Checksum = ChecksumAlgorithm.ForArchive(archive.Manifest.ChecksumAlgorithm, archive.Path);
    }

    public ChecksumAlgorithm Checksum { get; }

    public string Description => _archive.Path;
    public SchemaSnapshot Schema => _archive.Manifest.Schema;
    public IReadOnlyList<TableContent> Tables { get; }

    public async Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        await using var source = _archive.OpenTable(table);
        try
        {
            return await CopyAsync(source, table, target, copyIn, onProgress, ct).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // Only the zip throws this (a CRC or Deflate error): the file changed since it was checked.
            throw _archive.Unreadable(table, ex);
        }
    }

    private async Task<long> CopyAsync(DigestStream source, TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        // The target is watched: a link that stops taking bytes fails as TransferStalled instead of hanging.
        using var watch = new StallWatch(_stallLimit, table.Table);
        if (table.DataFormat == CopyFormat.Binary)
        {
            var raw = await watch.RunAsync("target", t => target.BeginRawBinaryCopyAsync(copyIn, t), ct).ConfigureAwait(false);
            await CopyIn.RunAsync(raw, async () =>
            {
                await CopyPump.BytesAsync(source, watch.Guard(raw, "target"), () => source.Rows, onProgress, ct).ConfigureAwait(false);
                _archive.EnsureReadIntact(source, table);
            }).ConfigureAwait(false);
        }
        else
        {
            var writer = await watch.RunAsync("target", t => target.BeginTextImportAsync(copyIn, t), ct).ConfigureAwait(false);
            await CopyIn.RunAsync(writer, async () =>
            {
                await CopyPump.BytesToTextAsync(source, watch.Guard(writer, "target"), onProgress, ct).ConfigureAwait(false);
                _archive.EnsureReadIntact(source, table);
            }).ConfigureAwait(false);
        }
        return source.Rows;
    }

    public Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct) =>
        Task.FromResult(new ContentChecksum(table.Rows, table.ContentChecksum) { Algorithm = Checksum });

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
