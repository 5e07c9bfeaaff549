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
    private readonly ArchiveFileStream _file;
    private readonly ZipArchive _zip;
    private bool _completed;

    public ArchiveWriter(string path)
    {
        _path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.ArchiveDirectoryNotFound, $"The folder '{directory}' does not exist.", path);
        _partialPath = _path + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            _file = new ArchiveFileStream(new FileStream(_partialPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16), _path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ArchiveWriteFailure.For(_path, ex);
        }
        _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true);
    }

    public string Path => _path;

    /// <summary>Opens a data entry; dispose it before opening the next one.</summary>
    /// <remarks>The entry's Deflate runs behind the caller, on a second core, while the caller hashes and counts.</remarks>
    public DigestStream CreateEntry(string name, string dataFormat) =>
        new(new WriteBehindStream(_zip.CreateEntry(name, CompressionLevel.Fastest).Open()), writing: true, dataFormat);

    public long Complete(ArchiveManifest manifest)
    {
        using (var stream = _zip.CreateEntry(ArchiveManifest.EntryName, CompressionLevel.Optimal).Open())
            JsonSerializer.Serialize(stream, manifest, ArchiveManifest.Json);
        _zip.Dispose();
        _file.FlushToDisk();
        var size = _file.Length;
        _file.Dispose();
        try { File.Move(_partialPath, _path, overwrite: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw ArchiveWriteFailure.For(_path, ex); }
        DirectorySync.Sync(System.IO.Path.GetDirectoryName(_path)!); // the rename itself must survive a crash too
        _completed = true;
        return size;
    }

    /// <summary>Without <see cref="Complete"/>: deletes the partial file, whatever state a failure left the zip and the file in.</summary>
    public void Dispose()
    {
        if (_completed) return;
        // Closing the zip writes its directory and closing the file flushes its buffer: on a full disk both fail, and
        // neither may stop the delete. The failure worth reporting is the one already on its way to the caller.
        try { _zip.Dispose(); } catch (Exception) { }
        try { _file.Dispose(); } catch (Exception) { }
        try { File.Delete(_partialPath); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}
