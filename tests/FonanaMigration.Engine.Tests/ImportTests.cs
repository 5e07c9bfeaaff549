using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Engine.Tests;

[Collection(ServerCollection.Name)]
public class ImportTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-engine-").FullName;

    public ImportTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string ArchivePath() => Path.Combine(_work, Guid.NewGuid().ToString("N")[..8] + ".fnz");

    private async Task<string> ExportSeededAsync(DatabaseEndpoint source)
    {
        var path = ArchivePath();
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        return path;
    }

    private long Count(PostgresServer server, string database, string table) =>
        long.Parse(server.QueryScalar(database, $"SELECT count(*) FROM \"{table}\""));

    [Fact]
    public async Task Import_LoadsEveryTable_AndVerifiesCountsAndChecksumsBeforeCommit()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);

        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, new RunContext());

        Assert.True(result.Verified);
        Assert.All(result.Tables, t => Assert.True(t.Verified, t.Table));
        foreach (var (table, expected) in FonanaDatabase.ExpectedCounts.Where(e => e.Key != "_prisma_migrations"))
            Assert.Equal(expected, Count(_servers.Prod, targetName, table));
        Assert.Equal(FonanaDatabase.ExpectedCounts.Count - 1, result.TableCount);
    }

    [Fact]
    public async Task Import_CycleBetweenUsersAndPosts_IsLoadedAndTheForeignKeyIsBackAndValid()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);
        using var host = new RecordingHost();

        await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, host.Context);

        var statements = host.Drain().Where(m => m.EventName == "Statement").Select(m => m.Text).ToList();
        Assert.Contains(statements, s => s.Contains("DROP CONSTRAINT"));
        Assert.Contains(statements, s => s.Contains("ADD CONSTRAINT"));
        Assert.Equal("2", _servers.Prod.QueryScalar(targetName,
            "SELECT count(*) FROM pg_constraint WHERE conname IN ('users_pinnedPostId_fkey', 'posts_creatorId_fkey') AND convalidated"));
        Assert.NotEqual("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users WHERE \"pinnedPostId\" IS NOT NULL"));
    }

    [Fact]
    public async Task Import_WithDeferredKeysAndIndexes_LeavesTheSchemaExactlyAsPrismaMadeIt()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);
        var (_, pristine) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);
        using var host = new RecordingHost();

        await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, host.Context);

        var before = await SchemaInspector.ReadAsync(pristine, new RunContext());
        var after = await SchemaInspector.ReadAsync(target, new RunContext());
        Assert.Empty(SchemaComparer.Compare(before, after));
        Assert.Equal(before.Tables.Sum(t => t.Indexes.Count), after.Tables.Sum(t => t.Indexes.Count));
        Assert.Contains(host.Drain(), m => m.EventName == "ConstraintsDeferred" && m.Text.Contains(" keys"));
    }

    [Fact]
    public async Task Import_ReportsProgressPerTable_WithRowsAndBytes_UpToTheTotal()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);
        using var host = new RecordingHost();

        await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, host.Context);

        var loading = host.Drain().Where(m => m.Progress is { Table: not null }).Select(m => m.Progress!).ToList();
        var posts = loading.Last(p => p.Table == "public.posts");
        Assert.True(posts.BytesDone > 279 * 10, "the bytes of the posts table are reported");
        var total = FonanaDatabase.ExpectedCounts.Where(e => e.Key != "_prisma_migrations").Sum(e => e.Value);
        Assert.Equal(total, loading.Max(p => p.RowsDone));
        Assert.All(loading, p => Assert.Equal(total, p.RowsTotal));
    }

    [Fact]
    public async Task Import_CancelledWhileLoading_LeavesTheTargetEmpty()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);
        using var cancellation = new CancellationTokenSource();
        // Cancel the moment the third table starts loading: earlier tables are already written inside the transaction.
        var loading = 0;
        var progress = new Progress(p =>
        {
            if (p.Status.StartsWith("Loading", StringComparison.Ordinal) && p.RowsDone == 0) return;
            if (p.Status.StartsWith("Loading", StringComparison.Ordinal) && Interlocked.Increment(ref loading) == 3) cancellation.Cancel();
        });

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, new RunContext(progress: progress, cancellationToken: cancellation.Token)));

        Assert.Equal(FailureKind.Cancelled, ex.Kind);
        foreach (var table in new[] { "users", "posts", "comments", "notifications" })
            Assert.Equal(0, Count(_servers.Prod, targetName, table));
    }

    [Fact]
    public async Task Import_WhenTheTargetChangesValuesOnTheWay_FailsVerificationAndRollsBack()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);
        // A trigger silently rewrites comments: same row count, different content. Only the checksum can see it. The
        // table belongs to another role, so the load cannot disable the trigger (it does for tables the role owns).
        _servers.Prod.ExecuteSql(targetName, """
            DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'comments_owner') THEN CREATE ROLE comments_owner; END IF; END $$;
            ALTER TABLE comments OWNER TO comments_owner;
            GRANT ALL ON comments TO fonana_user;
            CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.content := upper(NEW.content); RETURN NEW; END $$;
            CREATE TRIGGER shout BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION shout();
            """);

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, new RunContext()));

        Assert.Equal("ImportVerificationFailed", ex.ErrorId);
        Assert.Contains("public.comments", ex.Message);
        Assert.Equal(0, Count(_servers.Prod, targetName, "comments"));
        Assert.Equal(0, Count(_servers.Prod, targetName, "posts"));
        Assert.Equal(0, Count(_servers.Prod, targetName, "users"));
    }

    [Fact]
    public async Task Import_MissingColumnOnTarget_IsRefusedWithTheBlockingDifferences()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var archive = await ExportSeededAsync(source);
        _servers.Prod.ExecuteSql(targetName, "ALTER TABLE posts DROP COLUMN \"thumbnail\"", asRole: FonanaDatabase.DefaultRole);

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, new RunContext()));

        Assert.Equal(FailureKind.SchemaIncompatible, ex.Kind);
        var difference = Assert.IsType<SchemaDifference>(Assert.Single(ex.Details));
        Assert.Equal("MissingColumn", difference.Kind);
        Assert.Equal("public.posts.thumbnail", difference.Object);
    }

    [Fact]
    public async Task Import_Clean_WithBackup_ReplacesRowsAndTheBackupPutsThemBack()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Seeded(_servers.Prod);
        _servers.Prod.ExecuteSql(targetName, "DELETE FROM likes; UPDATE users SET \"fullName\" = 'changed on prod'");
        var archive = await ExportSeededAsync(source);
        var backup = ArchivePath();

        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive, Clean = true, BackupPath = backup }, new RunContext());

        Assert.True(result.Cleaned);
        Assert.Equal(8, Count(_servers.Prod, targetName, "likes"));
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users WHERE \"fullName\" = 'changed on prod'"));
        await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = backup, Clean = true }, new RunContext());
        Assert.Equal(0, Count(_servers.Prod, targetName, "likes"));
        Assert.Equal("96", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users WHERE \"fullName\" = 'changed on prod'"));
    }

    private sealed class Progress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => onReport(value);
    }
}
