using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>-Clean -BackupPath: the backup holds exactly the rows the load empties, by exact table name, and is proven readable.</summary>
[Collection(ServerCollection.Name)]
public class CleanBackupTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-backup-").FullName;

    public CleanBackupTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task CleanWithBackup_BacksUpATableWhoseNameLooksLikeAWildcardPattern()
    {
        // "log[ab]" as a pattern matches loga and logb, never itself: a backup chosen by patterns left it out and it was emptied anyway.
        const string ddl = """CREATE TABLE "log[ab]" (id int PRIMARY KEY, msg text); CREATE TABLE loga (id int PRIMARY KEY);""";
        var (sourceName, source) = _servers.Empty(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Local.ExecuteSql(sourceName, ddl + """INSERT INTO "log[ab]" VALUES (1, 'new');""", asRole: FonanaDatabase.DefaultRole);
        _servers.Prod.ExecuteSql(targetName, ddl + """INSERT INTO "log[ab]" SELECT i, 'old ' || i FROM generate_series(1, 5) i; INSERT INTO loga VALUES (7);""", asRole: FonanaDatabase.DefaultRole);
        var backup = Path.Combine(_work, "backup.fnz");

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Clean = true, BackupPath = backup }, new RunContext());

        Assert.Equal(backup, result.BackupPath);
        using var archive = ArchiveReader.Open(backup);
        Assert.Equal(5, archive.Manifest.Tables.Single(t => t.Name == "log[ab]").Rows);
        Assert.Equal(1, archive.Manifest.Tables.Single(t => t.Name == "loga").Rows);
        Assert.Equal("1", _servers.Prod.QueryScalar(targetName, """SELECT count(*) FROM "log[ab]" """));
        // And it puts them back.
        await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = backup, Clean = true }, new RunContext());
        Assert.Equal("5", _servers.Prod.QueryScalar(targetName, """SELECT count(*) FROM "log[ab]" """));
    }
}
