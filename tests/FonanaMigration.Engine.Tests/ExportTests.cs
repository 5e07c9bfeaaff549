using System.IO.Compression;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Engine.Tests;

[Collection(ServerCollection.Name)]
public class ExportTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-engine-").FullName;

    public ExportTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Export_RecordsEveryTableWithCountsChecksums_AndNoPasswordAnywhere()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, "a.fnz");
        using var host = new RecordingHost();

        var info = await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, host.Context);

        Assert.Equal(FonanaDatabase.ExpectedCounts.Count - 1, info.TableCount);
        Assert.DoesNotContain(info.Tables, t => t.Name == "_prisma_migrations");
        foreach (var table in info.Tables)
        {
            Assert.Equal(FonanaDatabase.ExpectedCounts[table.Name], table.Rows);
            Assert.Matches("^[0-9a-f]{32}$", table.ContentChecksum);
            Assert.Matches("^[0-9a-f]{64}$", table.Sha256);
        }
        using (var zip = ZipFile.OpenRead(path))
            foreach (var entry in zip.Entries)
                using (var reader = new StreamReader(entry.Open()))
                    Assert.DoesNotContain(FonanaDatabase.DefaultPassword, reader.ReadToEnd());
        Assert.All(host.Drain(), m => Assert.DoesNotContain(FonanaDatabase.DefaultPassword, m.Text));
        Assert.Contains(host.Messages, m => m.Level == EngineMessageLevel.Progress);
    }

    [Fact]
    public async Task Export_ToAnExistingFile_IsRefusedWithoutForce_AndTheFileIsKept()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, "exists.fnz");
        await File.WriteAllTextAsync(path, "keep me");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext()));

        Assert.Equal("ArchiveExists", ex.ErrorId);
        Assert.Equal("keep me", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Export_OfAMissingTablePattern_FailsAndLeavesNoFile()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var path = Path.Combine(_work, "none.fnz");

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path, Tables = new TableFilter(new[] { "postz" }) }, new RunContext()));

        Assert.Equal("TableNotFound", ex.ErrorId);
        Assert.Empty(Directory.GetFiles(_work));
    }

    [Fact]
    public async Task Export_ToAMissingDatabase_SaysWhichDatabase()
    {
        var endpoint = ServerFixture.Endpoint(_servers.Local, "no_such_db");

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseExporter.ExportAsync(new ExportRequest { Source = endpoint, Path = Path.Combine(_work, "x.fnz") }, new RunContext()));

        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
        Assert.Contains("no_such_db", ex.Message);
        Assert.Empty(Directory.GetFiles(_work));
    }
}
