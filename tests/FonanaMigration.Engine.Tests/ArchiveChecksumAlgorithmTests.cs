using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// The archive names its content checksum algorithm: an export from PostgreSQL 14+ writes typed-hash-v1 and the import
/// and Assert -Path compute that one; an archive without the field (written before it existed) is row-text-v1 and
/// still imports and verifies; a name this module does not know is refused before the target is touched.
/// </summary>
[Collection(ServerCollection.Name)]
public class ArchiveChecksumAlgorithmTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-algorithm-").FullName;

    public ArchiveChecksumAlgorithmTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Export_FromPostgres14OrLater_RecordsTheTypedHash_AndImportAndAssertVerifyWithIt()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);
        var path = Path.Combine(_work, "typed.fnz");

        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        var manifest = ReadManifest(path);
        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext());
        var counts = await RowCountVerifier.VerifyAsync(new RowCountRequest { Target = target, ArchivePath = path, Checksum = true }, new RunContext());

        Assert.Equal("typed-hash-v1", (string?)manifest["checksumAlgorithm"]);
        // A version-1 reader would check the typed checksums as text: it must refuse the archive instead.
        Assert.Equal(2, (int)manifest["formatVersion"]!);
        Assert.True(result.Verified);
        Assert.NotEmpty(counts);
        Assert.All(counts, c => Assert.True(c.Match && c.ChecksumMatch != false, $"{c.Name}: {c.ExpectedChecksum} / {c.ActualChecksum}"));
    }

    [Fact]
    public async Task ArchiveWithoutTheField_IsRowText_AndStillImportsAndVerifies()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, "old.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        // What a module from before the field wrote: formatVersion 1, no checksumAlgorithm, checksums of the rows' text.
        var textChecksums = new Dictionary<string, string>();
        await using (var connection = await ServerConnector.OpenAsync(source, new RunContext(), "test"))
            foreach (var table in ReadManifest(path)["tables"]!.AsArray().Select(t => t!.AsObject()))
            {
                var name = new QualifiedName((string)table["schema"]!, (string)table["name"]!);
                var columns = table["columns"]!.AsArray().Select(c => (string)c!).ToList();
                textChecksums[name.ToString()] = (await ContentChecksum.ComputeAsync(connection, name, columns, default)).Checksum;
            }
        EditManifest(path, m =>
        {
            m.Remove("checksumAlgorithm");
            m["formatVersion"] = 1;
            foreach (var table in m["tables"]!.AsArray().Select(t => t!.AsObject()))
                table["contentChecksum"] = textChecksums[new QualifiedName((string)table["schema"]!, (string)table["name"]!).ToString()];
        });
        var (_, target) = _servers.Empty(_servers.Prod);

        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext());
        var counts = await RowCountVerifier.VerifyAsync(new RowCountRequest { Target = target, ArchivePath = path, Checksum = true }, new RunContext());

        Assert.True(result.Verified);
        Assert.All(counts, c => Assert.True(c.Match && c.ChecksumMatch != false, $"{c.Name}: {c.ExpectedChecksum} / {c.ActualChecksum}"));
    }

    [Fact]
    public async Task ArchiveNamingAnUnknownAlgorithm_IsArchiveFormatUnsupported_BeforeTheTargetIsTouched()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, "future.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        EditManifest(path, m => m["checksumAlgorithm"] = "sha3-v9");
        var (name, target) = _servers.Empty(_servers.Prod);

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext()));

        Assert.Equal(ErrorIds.ArchiveFormatUnsupported, ex.ErrorId);
        Assert.Contains("sha3-v9", ex.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(name, "SELECT count(*) FROM users"));
    }

    [Fact]
    public void TypedHash_IsChosenOnlyWhenEveryServerIs14OrLater_AndAnOlderTargetIsRefusedWithItsOwnErrorId()
    {
        // No PostgreSQL older than 14 is installed here, so the refusal itself is proven on the version number.
        Assert.Equal(ChecksumAlgorithm.TypedHash, ChecksumAlgorithm.CommonTo(150004, 140000));
        Assert.Equal(ChecksumAlgorithm.RowText, ChecksumAlgorithm.CommonTo(150004, 130012));
        Assert.Equal(ChecksumAlgorithm.RowText, ChecksumAlgorithm.FromManifest(null));

        var ex = Assert.Throws<MigrationException>(() => ChecksumAlgorithm.TypedHash.EnsureRunsOn(130012, "13.12", "target", "The archive 'a.fnz'"));
        ChecksumAlgorithm.RowText.EnsureRunsOn(90600, "9.6", "target", "The archive 'a.fnz'");

        Assert.Equal(ErrorIds.ChecksumAlgorithmUnsupported, ex.ErrorId);
        Assert.Equal(FailureKind.SchemaIncompatible, ex.Kind);
        Assert.Contains("typed-hash-v1", ex.Message);
    }

    private static JsonObject ReadManifest(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry(ArchiveManifest.EntryName)!.Open());
        return JsonNode.Parse(reader.ReadToEnd())!.AsObject();
    }

    private static void EditManifest(string path, Action<JsonObject> edit)
    {
        var manifest = ReadManifest(path);
        edit(manifest);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(ArchiveManifest.EntryName)!.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(ArchiveManifest.EntryName).Open(), new UTF8Encoding(false));
        writer.Write(manifest.ToJsonString());
    }
}
