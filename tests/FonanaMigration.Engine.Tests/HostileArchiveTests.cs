using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// Damaged and hostile archives (real files, altered on disk) are refused with ArchiveCorrupt, or ArchiveFormatUnsupported
/// for a newer format, before the target is touched: no row loaded, no table cleaned, no backup written.
/// </summary>
[Collection(ServerCollection.Name)]
public class HostileArchiveTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-hostile-").FullName;

    public HostileArchiveTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<string> ExportAsync()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, Guid.NewGuid().ToString("N")[..8] + ".fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        return path;
    }

    private static void EditManifest(string path, Action<JsonObject> edit, string? padding = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(ArchiveManifest.EntryName)!;
        JsonObject manifest;
        using (var reader = new StreamReader(entry.Open())) manifest = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        edit(manifest);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(ArchiveManifest.EntryName).Open(), new UTF8Encoding(false));
        writer.Write(manifest.ToJsonString());
        if (padding is not null) writer.Write(padding);
    }

    private static JsonObject TableEntry(JsonObject manifest, string name) =>
        manifest["tables"]!.AsArray().Select(t => t!.AsObject()).Single(t => (string)t["name"]! == name);

    /// <summary>A target that holds rows, imported over with -Clean -BackupPath: the case with the most to lose.</summary>
    private async Task<(string Name, DatabaseEndpoint Endpoint, string Backup)> TargetWithRowsAsync()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (name, target) = _servers.Empty(_servers.Prod);
        await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());
        return (name, target, Path.Combine(_work, "backup-" + name + ".fnz"));
    }

    private async Task AssertRefusedBeforeTheTargetIsTouchedAsync(string archive, string errorId, string? messagePart = null)
    {
        var (name, target, backup) = await TargetWithRowsAsync();
        var usersBefore = _servers.Prod.QueryScalar(name, "SELECT count(*) FROM users");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseImporter.ImportAsync(
            new ImportRequest { Target = target, Path = archive, Clean = true, BackupPath = backup }, new RunContext()));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidData, ex.Kind);
        if (messagePart is not null) Assert.True(ex.Message.Contains(messagePart), ex.Message);
        Assert.Equal(usersBefore, _servers.Prod.QueryScalar(name, "SELECT count(*) FROM users"));
        Assert.NotEqual("0", usersBefore);
        Assert.False(File.Exists(backup), "no backup may be written for an archive that is refused");
    }

    [Fact]
    public async Task NullTableEntry_IsArchiveCorrupt_BeforeAnythingIsWritten()
    {
        var path = await ExportAsync();
        EditManifest(path, m => m["tables"]!.AsArray().Add(null));

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt", "null");
    }

    [Fact]
    public async Task DuplicatedTableEntry_IsArchiveCorrupt_BeforeAnythingIsWritten()
    {
        var path = await ExportAsync();
        EditManifest(path, m => m["tables"]!.AsArray().Add(TableEntry(m, "posts").DeepClone()));

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt", "public.posts twice");
    }

    [Fact]
    public async Task OversizedManifest_IsArchiveCorrupt_AlsoForTabCompletion()
    {
        var path = await ExportAsync();
        // A valid manifest followed by 65 MB of JSON whitespace (it compresses to almost nothing).
        EditManifest(path, _ => { }, padding: new string(' ', 65 << 20));

        var ex = Assert.Throws<MigrationException>(() => TableCatalog.FromFile(path));
        Assert.Equal("ArchiveCorrupt", ex.ErrorId);
        Assert.Contains("manifest", ex.Message);
        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt", "manifest");
    }

    [Fact]
    public async Task EntryLargerThanItsManifestDeclares_IsArchiveCorrupt_BeforeItIsInflated()
    {
        var path = await ExportAsync();
        // The manifest claims 100 bytes for posts; the zip holds far more.
        EditManifest(path, m => TableEntry(m, "posts")["bytes"] = 100);

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt", "where the manifest says 100");
    }

    [Fact]
    public async Task EntryThatInflatesPastItsZipHeaderAndManifestSize_IsArchiveCorrupt()
    {
        var path = await ExportAsync();
        // A zip bomb in miniature: both the zip's directory and the manifest say 100 bytes; the deflated data is larger.
        // Reading stops at 100 bytes (BoundedReadStream; .NET 10's zip reader also stops there), so the hash cannot match.
        string entry = "";
        EditManifest(path, m => { var t = TableEntry(m, "posts"); entry = (string)t["entry"]!; t["bytes"] = 100; });
        ZipHeaders.SetUncompressedSize(path, entry, 100);

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt", "public.posts");
    }

    [Fact]
    public async Task BitFlippedArchive_IsArchiveCorrupt()
    {
        var path = await ExportAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        // One bit in the middle of the file: inside some table's compressed data.
        bytes[bytes.Length / 3] ^= 0x10;
        await File.WriteAllBytesAsync(path, bytes);

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt");
    }

    [Fact]
    public async Task TruncatedArchive_IsArchiveCorrupt()
    {
        var path = await ExportAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveCorrupt");
    }

    [Fact]
    public async Task FutureFormatVersion_IsArchiveFormatUnsupported()
    {
        var path = await ExportAsync();
        EditManifest(path, m => m["formatVersion"] = ArchiveManifest.CurrentFormatVersion + 1);

        await AssertRefusedBeforeTheTargetIsTouchedAsync(path, "ArchiveFormatUnsupported", "format version");
    }

    [Fact]
    public async Task EntryChangedAfterTheFirstCheck_FailsTheImportBeforeCommit()
    {
        var path = await ExportAsync();
        // Stored (not deflated) entries, so a byte changed in the file is a byte changed in the data.
        var stored = Path.Combine(_work, "stored.fnz");
        using (var from = ZipFile.OpenRead(path))
        using (var to = ZipFile.Open(stored, ZipArchiveMode.Create))
            foreach (var e in from.Entries)
            {
                using var r = e.Open();
                using var w = to.CreateEntry(e.FullName, CompressionLevel.NoCompression).Open();
                r.CopyTo(w);
            }
        var (name, target) = _servers.Empty(_servers.Prod);
        string entry;
        using (var reader = ArchiveReader.Open(stored)) entry = reader.Manifest.Tables.Single(t => t.Name == "users").Entry;
        var offset = ZipHeaders.DataOffset(stored, entry);
        var changed = 0;
        // The change lands after the first pass proved every entry intact, as the load starts.
        var progress = new Progress(p =>
        {
            if (p.Table is null || Interlocked.Exchange(ref changed, 1) != 0) return;
            using var file = new FileStream(stored, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            file.Position = offset + 40;
            var b = file.ReadByte();
            file.Position = offset + 40;
            file.WriteByte((byte)(b == 'a' ? 'b' : 'a'));
        });

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseImporter.ImportAsync(
            new ImportRequest { Target = target, Path = stored }, new RunContext(progress: progress)));

        Assert.Equal(1, changed);
        Assert.Equal("ArchiveCorrupt", ex.ErrorId);
        Assert.Contains("public.users", ex.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(name, "SELECT count(*) FROM users"));
    }

    private sealed class Progress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => onReport(value);
    }
}

/// <summary>Reads and patches zip headers in place (little-endian fields at fixed offsets, PKWARE APPNOTE 4.3.7 and 4.3.12).</summary>
internal static class ZipHeaders
{
    private const uint LocalHeader = 0x04034b50, CentralHeader = 0x02014b50;

    /// <summary>Sets an entry's declared uncompressed size in both its local header and its central directory record.</summary>
    public static void SetUncompressedSize(string path, string entryName, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var patched = 0;
        foreach (var (at, nameAt, nameLength, sizeAt) in Records(bytes))
            if (Encoding.UTF8.GetString(bytes, nameAt, nameLength) == entryName)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(sizeAt, 4), size);
                patched++;
            }
        if (patched != 2) throw new InvalidOperationException($"expected a local and a central record for {entryName}, patched {patched}");
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Where an entry's data starts in the file.</summary>
    public static long DataOffset(string path, string entryName)
    {
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i + 30 <= bytes.Length; i++)
        {
            if (BitConverter.ToUInt32(bytes, i) != LocalHeader) continue;
            int nameLength = BitConverter.ToUInt16(bytes, i + 26), extraLength = BitConverter.ToUInt16(bytes, i + 28);
            if (Encoding.UTF8.GetString(bytes, i + 30, nameLength) == entryName) return i + 30 + nameLength + extraLength;
        }
        throw new InvalidOperationException($"no local header for {entryName}");
    }

    private static IEnumerable<(int At, int NameAt, int NameLength, int SizeAt)> Records(byte[] bytes)
    {
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            if (signature == LocalHeader)
                yield return (i, i + 30, BitConverter.ToUInt16(bytes, i + 26), i + 22);
            else if (signature == CentralHeader)
                yield return (i, i + 46, BitConverter.ToUInt16(bytes, i + 28), i + 24);
        }
    }
}
