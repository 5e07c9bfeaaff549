using Npgsql;
using FonanaMigration.Engine.Integrity;
using FonanaMigration.Engine.Media;
using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Tests;

/// <summary>Update-FonanaMediaUrl's engine: what it rewrites, what it leaves alone, and that it is all or nothing.</summary>
[Collection(ServerCollection.Name)]
public class MediaUrlRewriteTests
{
    private readonly ServerFixture _servers;

    public MediaUrlRewriteTests(ServerFixture servers) => _servers = servers;

    private static MediaUrlRewriteRequest Request(DatabaseEndpoint target, string from = "http://localhost:3000", string to = "https://fonana.example") =>
        new() { Target = target, From = from, To = to };

    [Fact]
    public async Task Rewrite_ChangesEveryReferenceStartingWithThePrefix_InTextArraysAndJson_AndNothingElse()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, """
            UPDATE notifications SET metadata = jsonb_build_object('image', jsonb_build_object('src', 'http://localhost:3000/uploads/n.png'),
                'note', 'see "http://localhost:3000/x"', 'other', 'http://localhost:30001/y') WHERE seq = 1;
            UPDATE posts SET tags = ARRAY['art', 'http://localhost:3000/uploads/t.png', NULL] WHERE "viewsCount" = 37;
            UPDATE users SET bio = 'My shop: http://localhost:3000/shop', website = 'http://localhost:30001/me' WHERE nickname = 'creator07';
            """);

        var plan = await MediaUrlRewriter.PlanAsync(Request(db), new RunContext());
        var done = await MediaUrlRewriter.RewriteAsync(Request(db), plan, new RunContext());

        var expected = new[] { ("public.notifications", "metadata", 1L), ("public.posts", "mediaUrl", 140L), ("public.posts", "tags", 1L), ("public.users", "backgroundImage", 18L) };
        Assert.Equal(expected, plan.Select(p => (p.Table, p.Column, p.RowsChanged)));
        Assert.Equal(expected, done.Select(p => (p.Table, p.Column, p.RowsChanged)));
        string Query(string sql) => _servers.Local.QueryScalar(name, sql);
        Assert.Equal("0", Query("""SELECT count(*) FROM posts WHERE "mediaUrl" LIKE 'http://localhost:3000%'"""));
        Assert.Equal("140", Query("""SELECT count(*) FROM posts WHERE "mediaUrl" LIKE 'https://fonana.example/uploads/posts/%'"""));
        Assert.Equal("{art,https://fonana.example/uploads/t.png,NULL}", Query("""SELECT tags FROM posts WHERE "viewsCount" = 37"""));
        Assert.Equal("""{"note": "see \"http://localhost:3000/x\"", "image": {"src": "https://fonana.example/uploads/n.png"}, "other": "http://localhost:30001/y"}""",
            Query("SELECT metadata FROM notifications WHERE seq = 1"));
        Assert.Equal("My shop: http://localhost:3000/shop|http://localhost:30001/me", Query("SELECT bio || '|' || website FROM users WHERE nickname = 'creator07'"));

        var after = await IntegrityInspector.InspectAsync(new IntegrityRequest { Target = db, Categories = new[] { IntegrityCategory.Media } }, new RunContext());
        var left = Assert.Single(after.Findings.Where(f => f.Check == IntegrityCheck.MediaLocalhost).Where(f => f.Table != "public.notifications"));
        Assert.Equal(("public.users", "website"), (left.Table, left.Column));
    }

    [Fact]
    public async Task Rewrite_CancelledWhileWaiting_RollsBackTheColumnsItAlreadyChanged()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        var plan = await MediaUrlRewriter.PlanAsync(Request(db), new RunContext());
        Assert.Equal(new[] { "public.posts", "public.users" }, plan.Select(p => p.Table));

        // Another session holds a row of users, the last table, so the rewrite blocks after it has changed posts.
        await using var blocker = new NpgsqlConnection(_servers.Local.KeyValueConnectionString(FonanaDatabase.DefaultRole, FonanaDatabase.DefaultPassword, name));
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("""SELECT 1 FROM users WHERE "backgroundImage" IS NOT NULL LIMIT 1 FOR UPDATE""", blocker, hold))
            await lockRow.ExecuteNonQueryAsync();

        using var cancel = new CancellationTokenSource();
        var rewrite = MediaUrlRewriter.RewriteAsync(Request(db), plan, new RunContext(cancellationToken: cancel.Token));
        var waited = 0;
        while (_servers.Local.QueryScalar(name, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == "0")
        {
            Assert.True(++waited < 200, "the rewrite never waited for the held row");
            await Task.Delay(50);
        }
        cancel.Cancel();

        var ex = await Assert.ThrowsAsync<MigrationException>(() => rewrite);
        Assert.Equal("OperationCancelled", ex.ErrorId);
        Assert.Equal("140", _servers.Local.QueryScalar(name, """SELECT count(*) FROM posts WHERE "mediaUrl" LIKE 'http://localhost:3000/%'"""));
    }

    [Theory]
    [InlineData("http://localhost:3000", "http://localhost:3000/")]
    [InlineData("localhost:3000", "https://fonana.example")]
    [InlineData("http://localhost:3000?x=1", "https://fonana.example")]
    [InlineData("http://localhost:3000", "https://fonana.example/a b")]
    [InlineData("http://localhost:3000", "https://fonana.example/\"")]
    public async Task Rewrite_RefusesPrefixesItCannotRewriteSafely_BeforeConnecting(string from, string to)
    {
        var nowhere = DatabaseEndpoint.Parse("postgresql://u@127.0.0.1:1/db");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => MediaUrlRewriter.PlanAsync(Request(nowhere, from, to), new RunContext()));

        Assert.Equal(("MediaUrlPrefixInvalid", FailureKind.InvalidArgument), (ex.ErrorId, ex.Kind));
    }

    [Fact]
    public async Task Plan_WithAColumnPatternMatchingNothing_IsAnError_AndWithOneItIsLimitedToIt()
    {
        var (_, db) = _servers.Seeded(_servers.Local);

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            MediaUrlRewriter.PlanAsync(new MediaUrlRewriteRequest { Target = db, From = "http://localhost:3000", To = "https://x.example", Columns = new ColumnFilter(new[] { "mediaUrll" }) }, new RunContext()));
        var plan = await MediaUrlRewriter.PlanAsync(
            new MediaUrlRewriteRequest { Target = db, From = "http://localhost:3000", To = "https://x.example", Columns = new ColumnFilter(new[] { "users.*Image" }) }, new RunContext());

        Assert.Equal("ColumnNotFound", ex.ErrorId);
        Assert.Equal(("public.users", "backgroundImage"), (Assert.Single(plan).Table, plan[0].Column));
    }
}
