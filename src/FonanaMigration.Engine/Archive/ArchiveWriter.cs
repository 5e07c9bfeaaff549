using System.IO.Compression;
using System.Text.Json;
using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Archive;

/// <summary>
/// Writes an archive (a zip: data/*.copy entries, then manifest.json) to a temporary file beside the destination and
/// moves it into place only when <see cref="Complete"/> succeeds, so a failed or cancelled export never leaves a file
/// that looks like an archive.
/// </summary>
internal sealed class ArchiveWriter : IDisposable
{
    private readonly string _path;
    private readonly string _partialPath;
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private bool _completed;

    public ArchiveWriter(string path)
    {
        _path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.ArchiveDirectoryNotFound, $"The folder '{directory}' does not exist.", path);
        _partialPath = _path + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        _file = new FileStream(_partialPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true);
    }

    public string Path => _path;

    /// <summary>Opens a data entry; dispose it before opening the next one.</summary>
    public DigestStream CreateEntry(string name, string dataFormat) =>
        new(_zip.CreateEntry(name, CompressionLevel.Fastest).Open(), writing: true, dataFormat);

    public long Complete(ArchiveManifest manifest)
    {
        using (var stream = _zip.CreateEntry(ArchiveManifest.EntryName, CompressionLevel.Optimal).Open())
            JsonSerializer.Serialize(stream, manifest, ArchiveManifest.Json);
        _zip.Dispose();
        _file.Flush(flushToDisk: true);
        var size = _file.Length;
        _file.Dispose();
        File.Move(_partialPath, _path, overwrite: true);
        _completed = true;
        return size;
    }

    public void Dispose()
    {
        if (_completed) return;
        try { _zip.Dispose(); } catch (IOException) { } catch (InvalidDataException) { }
        _file.Dispose();
        try { File.Delete(_partialPath); } catch (IOException) { }
    }
}
