using System.IO.Compression;
using Npgsql;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Transfer;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Tests;

[Collection(ServerCollection.Name)]
public class SnapshotAndSafetyTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-safety-").FullName;

    public SnapshotAndSafetyTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string NewPath() => Path.Combine(_work, Guid.NewGuid().ToString("N")[..8] + ".fnz");

    private static async Task<NpgsqlConnection> OpenAsync(DatabaseEndpoint endpoint)
    {
        var connection = new NpgsqlConnection(endpoint.ConnectionString("test writer", 15));
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task ConcurrentWriterOnTheSource_DuringExport_LeavesNoOrphanInTheArchive()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);
        // Make the export slow enough to overlap with the writer: many posts, each with comments.
        _servers.Local.ExecuteSql(sourceName, """
            INSERT INTO posts (id, "creatorId", title, content, "createdAt", "updatedAt")
            SELECT 'bulk' || i, (SELECT id FROM users WHERE "isCreator" ORDER BY id LIMIT 1), 'bulk ' || i, repeat('x', 2000), now(), now()
            FROM generate_series(1, 20000) i;
            """, asRole: FonanaDatabase.DefaultRole);

        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = await OpenAsync(source);
            // Each round adds a post with a comment and deletes an older post (cascading to its comments) in one transaction.
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await using var cmd = new NpgsqlCommand($"""
                    BEGIN;
                    INSERT INTO posts (id, "creatorId", title, content, "createdAt", "updatedAt") SELECT 'live{i}', "creatorId", 'live', 'live', now(), now() FROM posts WHERE id = 'bulk1';
                    INSERT INTO comments (id, "postId", "userId", content, "createdAt", "updatedAt") SELECT 'livec{i}', 'live{i}', "creatorId", 'c', now(), now() FROM posts WHERE id = 'live{i}';
                    DELETE FROM posts WHERE id = 'bulk{i + 2}';
                    COMMIT;
                    """, connection);
                await cmd.ExecuteNonQueryAsync();
                writes++;
            }
        });

        var path = NewPath();
        try
        {
            await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        }
        finally
        {
            stop.Cancel();
            await writer;
        }

        Assert.True(writes > 0, "the writer must have run during the export");
        // The import re-validates every foreign key before COMMIT: an orphan comment in the archive would fail it.
        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext());
        Assert.True(result.Verified);
    }

    [Fact]
    public async Task LostConnectionInTheMiddleOfAnImport_LeavesTheTargetAsItWas()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var path = NewPath();
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        var killed = 0;
        var progress = new Progress(p =>
        {
            if (p.Table == "public.posts" && Interlocked.Exchange(ref killed, 1) == 0)
                _servers.Prod.QueryScalar("postgres", $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{targetName}' AND application_name LIKE 'FonanaMigration%'");
        });

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext(progress: progress)));

        Assert.Equal(1, killed);
        Assert.Contains(ex.Kind, new[] { FailureKind.ConnectionFailed, FailureKind.ServerError, FailureKind.InvalidData });
        foreach (var table in new[] { "users", "posts", "comments" })
            Assert.Equal("0", _servers.Prod.QueryScalar(targetName, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task RowLevelSecurityThatHidesRows_IsAnError_NotAPartialExport()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(sourceName, """
            ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE posts FORCE ROW LEVEL SECURITY;
            CREATE POLICY only_paid ON posts USING (price > 0);
            """, asRole: FonanaDatabase.DefaultRole);
        var path = NewPath();

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext()));

        Assert.Equal("RowSecurityHidesRows", ex.ErrorId);
        Assert.Equal("public.posts", ex.TargetObject);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task PartitionedAndInheritedTables_AreReadOnceEach()
    {
        const string ddl = """
            CREATE TABLE events (id int, at date NOT NULL, what text) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE base_log (id int, msg text);
            CREATE TABLE child_log (extra text) INHERITS (base_log);
            """;
        var ((sourceName, source), (targetName, target)) = _servers.EmptyPair(ddl);
        _servers.Local.ExecuteSql(sourceName, """
            INSERT INTO events SELECT i, DATE '2024-06-01' + (i * 2), 'e' || i FROM generate_series(1, 200) i;
            INSERT INTO base_log VALUES (1, 'parent');
            INSERT INTO child_log VALUES (2, 'child', 'x');
            """, asRole: FonanaDatabase.DefaultRole);
        var path = NewPath();

        var info = await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path, Tables = new TableFilter(new[] { "events*", "*_log" }) }, new RunContext());
        await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext());

        Assert.DoesNotContain(info.Tables, t => t.Name == "events"); // the partitioned parent holds no rows of its own
        Assert.Equal(200, info.Tables.Where(t => t.Name.StartsWith("events_")).Sum(t => t.Rows));
        Assert.Equal(1, info.Tables.Single(t => t.Name == "base_log").Rows);
        Assert.Equal("200", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM events"));
        Assert.Equal("2", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM base_log"));
        Assert.Equal("1", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM ONLY base_log"));
    }

    [Fact]
    public async Task PartitionsWhoseParentHasAForeignKey_LoadAfterTheTableItReferences()
    {
        // "events_*" sort before "zz_people": only the parent's foreign key says the people must come first.
        const string ddl = """
            CREATE TABLE zz_people (id int PRIMARY KEY);
            CREATE TABLE events (id int, at date NOT NULL, person int REFERENCES zz_people(id)) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            """;
        var ((sourceName, source), (targetName, target)) = _servers.EmptyPair(ddl);
        _servers.Local.ExecuteSql(sourceName, "INSERT INTO zz_people SELECT generate_series(1, 10); INSERT INTO events SELECT i, DATE '2024-03-01' + i, i FROM generate_series(1, 10) i;", asRole: FonanaDatabase.DefaultRole);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "events*", "zz_people" }) }, new RunContext());

        Assert.True(result.Verified);
        Assert.Equal("10", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task AlteredDataEntry_IsRefusedBeforeTheTargetIsTouched()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var path = NewPath();
        var info = await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());
        var entry = info.Tables.Single(t => t.Name == "posts").Entry;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            byte[] data;
            using (var s = zip.GetEntry(entry)!.Open()) { using var m = new MemoryStream(); s.CopyTo(m); data = m.ToArray(); }
            data[data.Length / 2] ^= 0x20; // one flipped bit in the middle of a row
            zip.GetEntry(entry)!.Delete();
            using var w = zip.CreateEntry(entry).Open();
            w.Write(data);
        }

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext()));

        Assert.Equal("ArchiveCorrupt", ex.ErrorId);
        Assert.Contains("public.posts", ex.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Copy_ToTheSameDatabase_IsRefused()
    {
        var (_, source) = _servers.Seeded(_servers.Local);

        var sameByAnotherName = DatabaseEndpoint.Parse(source.ToString().Replace("127.0.0.1", "localhost")).WithCredential(FonanaDatabase.DefaultRole, FonanaDatabase.DefaultPassword);

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = sameByAnotherName }, new RunContext()));

        Assert.Equal("SourceIsTarget", ex.ErrorId);
    }

    [Fact]
    public async Task Copy_OfTheFonanaDatabase_IsVerifiedAndEqualsTheSource()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());
        var check = await RowCountVerifier.VerifyAsync(new RowCountRequest { Source = source, Target = target, Checksum = true }, new RunContext());

        Assert.True(result.Verified);
        Assert.Equal(FonanaDatabase.ExpectedCounts.Count - 1, result.TableCount);
        Assert.All(check, c => Assert.True(c.Match, c.Name));
        Assert.All(check.Where(c => c.Kind == "Table"), c => Assert.True(c.ChecksumMatch, c.Name));
    }

    [Fact]
    public async Task ForeignKeyViolationFoundWhenKeysAreReAdded_IsReportedAsARejectedRow_AndRolledBack()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        // An orphan in the source, possible because its foreign key there was created NOT VALID after the fact.
        _servers.Local.ExecuteSql(sourceName, """
            ALTER TABLE likes DROP CONSTRAINT "likes_postId_fkey";
            INSERT INTO likes (id, "userId", "postId", "createdAt") SELECT 'orphan', id, 'no-such-post', now() FROM users LIMIT 1;
            ALTER TABLE likes ADD CONSTRAINT "likes_postId_fkey" FOREIGN KEY ("postId") REFERENCES posts(id) ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
            """, asRole: FonanaDatabase.DefaultRole);

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext()));

        Assert.Equal("TargetRejectedRow", ex.ErrorId);
        Assert.Contains("likes_postId_fkey", ex.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task FailureWhileReadingTheSource_IsReportedAgainstTheSource()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        var killed = 0;
        var progress = new Progress(p =>
        {
            if (p.Table == "public.posts" && Interlocked.Exchange(ref killed, 1) == 0)
                _servers.Local.QueryScalar("postgres", $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{sourceName}' AND application_name = 'FonanaMigration copy source'");
        });

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext(progress: progress)));

        Assert.Equal(1, killed);
        Assert.Same(source, ex.TargetObject);
        Assert.Contains("source", ex.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
    }

    private sealed class Progress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => onReport(value);
    }
}
