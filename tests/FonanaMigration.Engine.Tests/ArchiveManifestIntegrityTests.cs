using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// A damaged manifest is refused when the archive is opened, before anything is written: not only when the damage
/// breaks its JSON or a checksum it lists, but also when it changes a field nothing else checks (a date, a server's
/// description). Every position of the stored manifest gets one bit flipped; only a flip that changes nothing read
/// (the deflate stream's unused padding bits) may be accepted.
/// </summary>
[Collection(ServerCollection.Name)]
public class ArchiveManifestIntegrityTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-manifest-").FullName;

    public ArchiveManifestIntegrityTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task ManifestWithAnyOneBitFlipped_IsRefusedAsCorrupt_WhenTheArchiveIsOpened()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, "intact.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        using (ArchiveReader.Open(path)) { }

        var bytes = await File.ReadAllBytesAsync(path);
        var (offset, size) = StoredEntry(bytes, ArchiveManifest.EntryName);
        var original = ManifestText(path);
        var accepted = new List<int>();
        var damaged = Path.Combine(_work, "damaged.fnz");
        for (var i = 0; i < size; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[offset + i] ^= 0x10;
            await File.WriteAllBytesAsync(damaged, copy);
            try
            {
                using (ArchiveReader.Open(damaged)) { }
                // Accepted is right only where the flip changed nothing read: the unused padding bits after the last
                // deflate block inflate to the same manifest.
                if (!ManifestText(damaged).SequenceEqual(original)) accepted.Add(i);
            }
            catch (MigrationException ex)
            {
                Assert.True(ex.ErrorId is ErrorIds.ArchiveCorrupt or ErrorIds.ArchiveFormatUnsupported, $"byte {i}: {ex.ErrorId}: {ex.Message}");
            }
        }
        Assert.True(accepted.Count == 0, $"{accepted.Count} of {size} one-bit changes of the stored manifest were accepted with a changed manifest, e.g. at byte(s) {string.Join(", ", accepted.Take(10))}");
    }

    private static byte[] ManifestText(string path)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(ArchiveManifest.EntryName)!.Open();
        using var text = new MemoryStream();
        stream.CopyTo(text);
        return text.ToArray();
    }

    // The stored (compressed) bytes of a zip entry, found through its local file header.
    private static (int Offset, int Size) StoredEntry(byte[] zip, string name)
    {
        for (var i = 0; i + 30 < zip.Length; i++)
        {
            if (zip[i] != 0x50 || zip[i + 1] != 0x4B || zip[i + 2] != 3 || zip[i + 3] != 4) continue;
            var size = BitConverter.ToInt32(zip, i + 18);
            var nameLength = BitConverter.ToUInt16(zip, i + 26);
            var extraLength = BitConverter.ToUInt16(zip, i + 28);
            if (System.Text.Encoding.UTF8.GetString(zip, i + 30, nameLength) == name)
                return (i + 30 + nameLength + extraLength, size);
        }
        throw new InvalidOperationException($"No {name} in the archive.");
    }
}
