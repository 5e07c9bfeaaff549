using System.IO.Compression;
using System.Text.Json;
using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Archive;

/// <summary>
/// Opens an archive, reads and checks its manifest, and proves every data entry intact (SHA-256 and size) before a
/// single row is written anywhere.
/// </summary>
public sealed class ArchiveReader : IDisposable
{
    private readonly ZipArchive _zip;

    private ArchiveReader(string path, ZipArchive zip, ArchiveManifest manifest)
    {
        Path = path;
        _zip = zip;
        Manifest = manifest;
    }

    public string Path { get; }
    public ArchiveManifest Manifest { get; }

    public static ArchiveReader Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.ArchiveNotFound, $"The archive '{full}' does not exist.", path);

        ZipArchive? zip = null;
        try
        {
            zip = ZipFile.OpenRead(full);
            var entry = zip.GetEntry(ArchiveManifest.EntryName)
                        ?? throw Corrupt(full, "it has no manifest.json (it is not an archive, or it was cut short)");
            // The size in the zip header may lie: it is checked, and the read is bounded whatever it says.
            if (entry.Length > ManifestRules.MaxManifestBytes)
                throw Corrupt(full, $"its manifest.json declares {entry.Length} bytes, more than the {ManifestRules.MaxManifestBytes} a manifest may have");
            var stored = new MemoryStream();
            using (var stream = new BoundedReadStream(entry.Open(), ManifestRules.MaxManifestBytes,
                       () => Corrupt(full, $"its manifest.json is larger than the {ManifestRules.MaxManifestBytes} bytes a manifest may have")))
                stream.CopyTo(stored);
            // A damaged manifest can still be valid JSON with a field nothing else checks changed: the zip's CRC-32 says.
            if (ZipCrc32.Compute(stored.GetBuffer().AsSpan(0, (int)stored.Length)) != entry.Crc32)
                throw Corrupt(full, "its manifest.json does not match the CRC-32 the zip recorded for it (the file was damaged)");
            stored.Position = 0;
            var manifest = JsonSerializer.Deserialize<ArchiveManifest>(stored, ArchiveManifest.Json);
            if (manifest is null || manifest.Format != ArchiveManifest.FormatName)
                throw Corrupt(full, "its manifest does not describe a FonanaMigration archive");
            if (manifest.FormatVersion > ArchiveManifest.CurrentFormatVersion)
                throw new MigrationException(FailureKind.InvalidData, ErrorIds.ArchiveFormatUnsupported,
                    $"The archive '{full}' has format version {manifest.FormatVersion}; this module reads up to {ArchiveManifest.CurrentFormatVersion}. Update FonanaMigration.", path);
            if (ManifestRules.Problem(manifest) is { } problem)
                throw Corrupt(full, problem);
            return new ArchiveReader(full, zip, manifest);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException && ex is not FileNotFoundException)
        {
            zip?.Dispose();
            throw Corrupt(full, ex.Message, ex);
        }
        catch
        {
            zip?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads every data entry once and compares its size, SHA-256 and rows with the manifest. Entries are independent,
    /// so they are checked in parallel (decompressing is the cost), each reader with its own view of the zip file.
    /// </summary>
    public async Task VerifyAsync(IEnumerable<TableContent> tables, RunContext context)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4), CancellationToken = context.CancellationToken };
        await Parallel.ForEachAsync(tables.OrderByDescending(t => t.Bytes), options, async (table, ct) =>
        {
            try
            {
                using var zip = ZipFile.OpenRead(Path);
                await using var stream = OpenTable(zip, table);
                var buffer = new byte[1 << 16];
                while (await stream.ReadAsync(buffer, ct).ConfigureAwait(false) > 0) { }
                if (stream.Bytes != table.Bytes || stream.HashHex() != table.Sha256)
                    throw Corrupt(Path, $"the data of {table.Table} does not match its checksum (damaged or altered)");
                if (!stream.RowsComplete)
                    throw Corrupt(Path, $"the data of {table.Table} stops in the middle of a row");
                if (stream.Rows != table.Rows)
                    throw Corrupt(Path, $"the data of {table.Table} holds {stream.Rows} rows where the manifest says {table.Rows}");
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException && ex is not MigrationException)
            {
                throw Corrupt(Path, $"the data of {table.Table} cannot be read: {ex.Message}", ex);
            }
        }).ConfigureAwait(false);
    }

    internal DigestStream OpenTable(TableContent table) => OpenTable(_zip, table);

    private DigestStream OpenTable(ZipArchive zip, TableContent table)
    {
        var entry = zip.GetEntry(table.Entry) ?? throw Corrupt(Path, $"the entry '{table.Entry}' for {table.Table} is missing");
        if (table.DataFormat is not (CopyFormat.Text or CopyFormat.Binary))
            throw Corrupt(Path, $"{table.Table} is stored as '{table.DataFormat}', a data format this version cannot read");
        if (entry.Length != table.Bytes)
            throw Corrupt(Path, $"the entry of {table.Table} holds {entry.Length} bytes where the manifest says {table.Bytes}");
        var bounded = new BoundedReadStream(entry.Open(), table.Bytes,
            () => Corrupt(Path, $"the data of {table.Table} is larger than the {table.Bytes} bytes it declares (damaged or hostile)"));
        return new DigestStream(bounded, writing: false, table.DataFormat);
    }

    /// <summary>
    /// After an entry was read to its end a second time (to load it): the same size, SHA-256 and rows as the manifest says,
    /// so a file changed after <see cref="VerifyAsync"/> fails the load before COMMIT.
    /// </summary>
    internal void EnsureReadIntact(DigestStream stream, TableContent table)
    {
        if (stream.Bytes != table.Bytes || stream.HashHex() != table.Sha256)
            throw Corrupt(Path, $"the data of {table.Table} changed after it was checked (it no longer matches its SHA-256)");
        if (!stream.RowsComplete || stream.Rows != table.Rows)
            throw Corrupt(Path, $"the data of {table.Table} changed after it was checked (it holds {stream.Rows} rows where the manifest says {table.Rows})");
    }

    internal MigrationException Unreadable(TableContent table, Exception ex) =>
        Corrupt(Path, $"the data of {table.Table} cannot be read: {ex.Message}", ex);

    public void Dispose() => _zip.Dispose();

    private static MigrationException Corrupt(string path, string why, Exception? inner = null) =>
        new(FailureKind.InvalidData, ErrorIds.ArchiveCorrupt, $"The archive '{path}' cannot be used: {why}.", path, inner);
}
