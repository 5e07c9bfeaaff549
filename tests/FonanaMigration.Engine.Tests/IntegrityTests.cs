using FonanaMigration.Engine.Integrity;
using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Tests;

/// <summary>Test-FonanaIntegrity's engine against real servers: each kind of damage is planted in a fresh copy of the seed and must be found and named.</summary>
[Collection(ServerCollection.Name)]
public class IntegrityTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-integrity-").FullName;

    public IntegrityTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string PostId(int n) => "clp" + Md5("fonana-post-" + n)[..22];
    private static string UserId(int n) => "clu" + Md5("fonana-user-" + n)[..22];
    private static string CommentId(int n) => "clc" + Md5("fonana-comment-" + n)[..22];
    private static string Md5(string text) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static Task<IntegrityTestResult> Inspect(DatabaseEndpoint target, params IntegrityCategory[] categories) =>
        IntegrityInspector.InspectAsync(new IntegrityRequest { Target = target, Categories = categories.Length == 0 ? Enum.GetValues<IntegrityCategory>() : categories }, new RunContext());

    [Fact]
    public async Task AFreshSeededDatabase_HasNoErrors_OnlyTheSeedsLocalhostUrlsAsWarnings()
    {
        var (_, db) = _servers.Seeded(_servers.Local);
        using var host = new RecordingHost();

        var result = await IntegrityInspector.InspectAsync(new IntegrityRequest { Target = db }, host.Context);

        Assert.True(result.Passed);
        Assert.All(result.Findings, f => Assert.Equal((IntegritySeverity.Warning, IntegrityCheck.MediaLocalhost), (f.Severity, f.Check)));
        Assert.Equal(new[] { "public.posts.mediaUrl", "public.users.backgroundImage" }, result.Findings.Select(f => $"{f.Table}.{f.Column}").Order());
        Assert.Contains(result.Runs, r => r == new IntegrityCheckedTable(IntegrityCheck.ForeignKeyOrphan, "public.comments"));
        Assert.Contains(result.Runs, r => r == new IntegrityCheckedTable(IntegrityCheck.EncodingMojibake, "public.posts"));
        Assert.Contains(result.Runs, r => r == new IntegrityCheckedTable(IntegrityCheck.TimestampOrder, "public.posts"));
        Assert.All(host.Drain(), m => Assert.DoesNotContain(FonanaDatabase.DefaultPassword, m.Text));
    }

    [Fact]
    public async Task AnOrphanBehindANotValidForeignKey_IsAnError_NamingTheRowAndTheConstraint()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, $"""
            ALTER TABLE comments DROP CONSTRAINT "comments_postId_fkey";
            UPDATE comments SET "postId" = 'no-such-post' WHERE id = '{CommentId(7)}';
            ALTER TABLE comments ADD CONSTRAINT "comments_postId_fkey" FOREIGN KEY ("postId") REFERENCES posts(id) NOT VALID;
            """);

        var result = await Inspect(db, IntegrityCategory.ForeignKey);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((IntegritySeverity.Error, IntegrityCheck.ForeignKeyOrphan, "public.comments", "postId", 1L),
            (finding.Severity, finding.Check, finding.Table, finding.Column, finding.Count));
        Assert.Equal(new[] { CommentId(7) }, finding.Sample);
        Assert.Contains("comments_postId_fkey", finding.Message);
        Assert.Contains("NOT VALID", finding.Message);
        Assert.False(result.Passed);
    }

    [Fact]
    public async Task AMultiColumnForeignKey_FollowsMatchSimple_APartlyNullKeyIsNoOrphan()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, """
            CREATE TABLE tiers (creator text NOT NULL, plan text NOT NULL, PRIMARY KEY (creator, plan));
            CREATE TABLE perks (id int PRIMARY KEY, creator text, plan text);
            INSERT INTO tiers VALUES ('c1', 'VIP');
            INSERT INTO perks VALUES (1, 'c1', 'VIP'), (2, 'c1', NULL), (3, NULL, 'GOLD'), (4, 'c1', 'GOLD'), (5, 'c2', 'VIP');
            ALTER TABLE perks ADD CONSTRAINT perks_tier_fkey FOREIGN KEY (creator, plan) REFERENCES tiers (creator, plan) NOT VALID;
            """, FonanaDatabase.DefaultRole);

        var result = await Inspect(db, IntegrityCategory.ForeignKey);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("public.perks", "creator, plan", 2L), (finding.Table, finding.Column, finding.Count));
        Assert.Equal(new[] { "4", "5" }, finding.Sample);
    }

    [Fact]
    public async Task ANotValidForeignKeyWithoutOrphans_IsOnlyInfo_SayingItCouldBeValidated()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, """
            ALTER TABLE likes DROP CONSTRAINT "likes_userId_fkey";
            ALTER TABLE likes ADD CONSTRAINT "likes_userId_fkey" FOREIGN KEY ("userId") REFERENCES users(id) NOT VALID;
            """);

        var result = await Inspect(db, IntegrityCategory.ForeignKey);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((IntegritySeverity.Info, "public.likes", 0L), (finding.Severity, finding.Table, finding.Count));
        Assert.Contains("VALIDATE CONSTRAINT", finding.Message);
        Assert.True(result.Passed);
    }

    [Fact]
    public async Task UpdatedAtBeforeCreatedAt_AndAFutureEventTime_AreFound_ButAFutureExpiryIsNot()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, $"""
            UPDATE posts SET "updatedAt" = "createdAt" - interval '1 day' WHERE id = '{PostId(3)}';
            UPDATE notifications SET "createdAt" = now() + interval '30 days', "updatedAt" = now() + interval '30 days' WHERE seq = 5;
            UPDATE sessions SET expires = now() + interval '30 days';
            """);

        var result = await Inspect(db, IntegrityCategory.Timestamp);

        var order = Assert.Single(result.Findings, f => f.Check == IntegrityCheck.TimestampOrder);
        Assert.Equal(("public.posts", "updatedAt", 1L, 279L), (order.Table, order.Column, order.Count, order.Examined));
        Assert.Equal(new[] { PostId(3) }, order.Sample);
        Assert.Contains("earlier than createdAt", order.Message);
        var future = result.Findings.Where(f => f.Check == IntegrityCheck.FutureTimestamp).ToList();
        Assert.Equal(new[] { "createdAt", "updatedAt" }, future.Select(f => f.Column).Order());
        Assert.All(future, f => Assert.Equal("public.notifications", f.Table));
        Assert.DoesNotContain(result.Findings, f => f.Table == "public.sessions");
        Assert.All(result.Findings, f => Assert.Equal(IntegritySeverity.Warning, f.Severity));
    }

    [Fact]
    public async Task TimestampsShiftedByWholeHours_AgainstTheSource_AreATimeZoneMistake_WithTheOffset()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Seeded(_servers.Prod);
        _servers.Prod.ExecuteSql(targetName, $"""
            UPDATE posts SET "createdAt" = "createdAt" + interval '3 hours', "updatedAt" = "updatedAt" + interval '3 hours';
            UPDATE comments SET "updatedAt" = "updatedAt" + interval '1.5 seconds' WHERE id = '{CommentId(2)}';
            """);

        var result = await IntegrityInspector.InspectAsync(
            new IntegrityRequest { Target = target, Source = source, Categories = new[] { IntegrityCategory.Timestamp } }, new RunContext());

        var shifts = result.Findings.Where(f => f.Check == IntegrityCheck.TimestampShift).ToList();
        var created = Assert.Single(shifts, f => f.Table == "public.posts" && f.Column == "createdAt");
        Assert.Equal((IntegritySeverity.Error, 279L, 279L), (created.Severity, created.Count, created.Examined));
        Assert.Contains("+03:00:00", created.Message);
        Assert.Contains("time-zone", created.Message);
        var comment = Assert.Single(shifts, f => f.Table == "public.comments");
        Assert.Equal(("updatedAt", 1L), (comment.Column, comment.Count));
        Assert.Equal(new[] { CommentId(2) }, comment.Sample);
        Assert.Contains("+00:00:01.5", comment.Message);
        Assert.Equal(3, shifts.Count);
    }

    [Fact]
    public async Task OneMissingMediaFile_IsAnError_NamingTheColumnAndRow()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        var root = Path.Combine(_work, "public");
        // Every file the seed refers to exists, except user 1's avatar.
        var references = _servers.Local.QueryScalar(name, """
            SELECT v FROM (SELECT avatar FROM users UNION SELECT "backgroundImage" FROM users UNION SELECT "mediaUrl" FROM posts
                           UNION SELECT thumbnail FROM posts UNION SELECT "mediaUrl" FROM messages) r(v) WHERE v IS NOT NULL
            """).Split('\n');
        foreach (var reference in references)
        {
            var path = Path.Combine(root, reference.Replace("http://localhost:3000", "").TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }
        File.Delete(Path.Combine(root, "uploads", "avatars", UserId(1) + ".webp"));

        var result = await IntegrityInspector.InspectAsync(
            new IntegrityRequest { Target = db, MediaRoot = root, Categories = new[] { IntegrityCategory.Media } }, new RunContext());

        var missing = Assert.Single(result.Findings, f => f.Check == IntegrityCheck.MediaMissing);
        Assert.Equal((IntegritySeverity.Error, "public.users", "avatar", 1L), (missing.Severity, missing.Table, missing.Column, missing.Count));
        Assert.Equal(new[] { UserId(1) }, missing.Sample);
        Assert.Contains($"/uploads/avatars/{UserId(1)}.webp", missing.Message);
        Assert.Contains(result.Runs, r => r.Check == IntegrityCheck.MediaMissing && r.Table == "public.messages");
    }

    [Fact]
    public async Task LocalhostUrls_AreWarnings_ButErrorsOnceTheNewHostIsKnown_AndUrlsInJsonCount()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, $"""
            UPDATE notifications SET metadata = jsonb_build_object('image', jsonb_build_object('src', 'http://127.0.0.1:3000/uploads/n.png')) WHERE seq = 1;
            UPDATE posts SET "mediaUrl" = 'https://fonana.example/uploads/posts/a.jpg' WHERE id = '{PostId(4)}';
            UPDATE posts SET tags = ARRAY['art', 'http://0.0.0.0:3000/uploads/t.png'] WHERE id = '{PostId(5)}';
            """);

        var plain = await Inspect(db, IntegrityCategory.Media);
        var withBase = await IntegrityInspector.InspectAsync(
            new IntegrityRequest { Target = db, MediaBaseUri = new Uri("https://fonana.example"), Categories = new[] { IntegrityCategory.Media } }, new RunContext());

        Assert.Equal(new[] { "public.notifications.metadata", "public.posts.mediaUrl", "public.posts.tags", "public.users.backgroundImage" },
            plain.Findings.Select(f => $"{f.Table}.{f.Column}").Order());
        Assert.All(plain.Findings, f => Assert.Equal((IntegritySeverity.Warning, IntegrityCheck.MediaLocalhost), (f.Severity, f.Check)));
        var posts = Assert.Single(plain.Findings, f => f.Column == "mediaUrl");
        Assert.Equal(140L, posts.Count); // posts with j % 4 in (1, 2) hold a localhost URL: 70 + 70
        Assert.Equal(141L, posts.Examined); // and one on the new host
        Assert.Contains("http://localhost:3000", posts.Message);
        Assert.Equal(5, posts.Sample.Count);
        Assert.All(withBase.Findings, f => Assert.Equal(IntegritySeverity.Error, f.Severity));
        Assert.Contains("-To 'https://fonana.example'", withBase.Findings[0].Message);
    }

    [Fact]
    public async Task TheProductionReportsMojibake_AndAReplacementCharacter_AreFound_InTextAndJson()
    {
        var (name, db) = _servers.Seeded(_servers.Local);
        _servers.Local.ExecuteSql(name, $"""
            UPDATE posts SET title = '–ó–ê–î–ê–ß–ê' WHERE id = '{PostId(7)}';
            UPDATE posts SET metadata = jsonb_build_object('caption', 'Ð—Ð°Ð´Ð°Ñ‡Ð°') WHERE id = '{PostId(8)}';
            UPDATE comments SET content = 'Спасибо � за всё' WHERE id = '{CommentId(31)}';
            """);

        var result = await Inspect(db, IntegrityCategory.Encoding);

        var title = Assert.Single(result.Findings, f => f.Column == "title");
        Assert.Equal((IntegritySeverity.Error, IntegrityCheck.EncodingMojibake, "public.posts", 1L), (title.Severity, title.Check, title.Table, title.Count));
        Assert.Equal(new[] { PostId(7) }, title.Sample);
        Assert.Contains("'–ó–ê–î–ê–ß–ê', which is 'ЗАДАЧА' read as Mac Roman", title.Message);
        var json = Assert.Single(result.Findings, f => f.Column == "metadata");
        Assert.Contains("'Задача'", json.Message);
        Assert.Contains("Windows-1252", json.Message);
        var replacement = Assert.Single(result.Findings, f => f.Check == IntegrityCheck.EncodingReplacementChar);
        Assert.Equal(("public.comments", "content", IntegritySeverity.Warning), (replacement.Table, replacement.Column, replacement.Severity));
        Assert.Equal(3, result.Findings.Count);
    }

    [Fact]
    public async Task TableFilters_LimitTheChecks_AndAPatternMatchingNothingIsAnError()
    {
        var (name, db) = _servers.Seeded(_servers.Local);

        var only = await IntegrityInspector.InspectAsync(new IntegrityRequest { Target = db, Tables = new TableFilter(new[] { "posts" }) }, new RunContext());
        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            IntegrityInspector.InspectAsync(new IntegrityRequest { Target = db, Tables = new TableFilter(new[] { "postz" }) }, new RunContext()));

        Assert.All(only.Runs.Where(r => r.Table != "(database)"), r => Assert.Equal("public.posts", r.Table));
        Assert.Equal("TableNotFound", ex.ErrorId);
    }

    [Fact]
    public async Task AMissingMediaRoot_IsRefusedBeforeConnecting()
    {
        var endpoint = ServerFixture.Endpoint(_servers.Local, "no_such_db");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => IntegrityInspector.InspectAsync(
            new IntegrityRequest { Target = endpoint, MediaRoot = Path.Combine(_work, "nowhere") }, new RunContext()));

        Assert.Equal(("MediaRootNotFound", FailureKind.ObjectNotFound), (ex.ErrorId, ex.Kind));
    }
}
