using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>Materialized views end as they were on the source: refreshed in the load's transaction, or left unpopulated.</summary>
[Collection(ServerCollection.Name)]
public class MaterializedViewTests : IDisposable
{
    // A view on a plain view on a materialized view on tables, plus one that is unpopulated on the source.
    private const string Views = """
        CREATE MATERIALIZED VIEW creator_posts AS
            SELECT u.id, u.nickname, count(p.id) AS posts FROM users u LEFT JOIN posts p ON p."creatorId" = u.id WHERE u."isCreator" GROUP BY u.id, u.nickname;
        CREATE UNIQUE INDEX ON creator_posts (id);
        CREATE VIEW busy_creators AS SELECT * FROM creator_posts WHERE posts > 0;
        CREATE MATERIALIZED VIEW busy_creator_count AS SELECT count(*) AS n, sum(posts) AS posts FROM busy_creators;
        CREATE MATERIALIZED VIEW comment_words AS SELECT id, length(content) AS len FROM comments WITH NO DATA;
        """;

    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-mv-").FullName;

    public MaterializedViewTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private (string SourceName, DatabaseEndpoint Source, string TargetName, DatabaseEndpoint Target) Prepare()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Local.ExecuteSql(sourceName, Views, asRole: FonanaDatabase.DefaultRole);
        _servers.Prod.ExecuteSql(targetName, Views, asRole: FonanaDatabase.DefaultRole);
        return (sourceName, source, targetName, target);
    }

    private void AssertViewsAsOnSource(string sourceName, string targetName, TargetLoadResult result)
    {
        foreach (var view in new[] { "creator_posts", "busy_creator_count" })
            Assert.Equal(_servers.Local.QueryScalar(sourceName, $"SELECT string_agg(t::text, ',' ORDER BY t::text) FROM {view} t"),
                _servers.Prod.QueryScalar(targetName, $"SELECT string_agg(t::text, ',' ORDER BY t::text) FROM {view} t"));
        Assert.Equal("f", _servers.Prod.QueryScalar(targetName, "SELECT relispopulated FROM pg_class WHERE oid = 'comment_words'::regclass"));
        // Dependency order: the view that reads creator_posts (through busy_creators) is refreshed after it.
        Assert.Equal(new[] { "public.comment_words", "public.creator_posts", "public.busy_creator_count" }.OrderBy(x => x),
            result.MaterializedViews.Select(v => v.Name).OrderBy(x => x));
        var names = result.MaterializedViews.Select(v => v.Name).ToList();
        Assert.True(names.IndexOf("public.creator_posts") < names.IndexOf("public.busy_creator_count"));
        Assert.All(result.MaterializedViews.Where(v => v.Populated), v => Assert.True(v.MatchesSource, v.Name));
        Assert.False(result.MaterializedViews.Single(v => v.Name == "public.comment_words").Populated);
    }

    [Fact]
    public async Task Copy_PopulatedViewsAnswerWithTheSourcesRows_UnpopulatedOnesStayUnpopulated()
    {
        var (sourceName, source, targetName, target) = Prepare();

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        AssertViewsAsOnSource(sourceName, targetName, result);
    }

    [Fact]
    public async Task ExportImport_RecordsWhichViewsWerePopulated_AndImportRefreshesExactlyThose()
    {
        var (sourceName, source, targetName, target) = Prepare();
        var path = Path.Combine(_work, "mv.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext());

        using (var archive = ArchiveReader.Open(path))
        {
            var recorded = archive.Manifest.Schema.MaterializedViews!;
            Assert.True(recorded.Single(v => v.Name == "creator_posts").Populated);
            Assert.False(recorded.Single(v => v.Name == "comment_words").Populated);
        }
        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext());

        AssertViewsAsOnSource(sourceName, targetName, result);
    }

    [Fact]
    public async Task AssertCounts_ComparesMaterializedViewsWithTheSource()
    {
        var (_, source, _, target) = Prepare();
        await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        var comparisons = await RowCountVerifier.VerifyAsync(new RowCountRequest { Target = target, Source = source, Checksum = true }, new RunContext());

        var views = comparisons.Where(c => c.Kind == "MaterializedView").ToList();
        Assert.Equal(new[] { "public.busy_creator_count", "public.creator_posts" }, views.Select(v => v.Name).OrderBy(x => x, StringComparer.Ordinal));
        Assert.All(views, v => { Assert.True(v.Match, v.Name); Assert.True(v.ChecksumMatch, v.Name); });
    }

    [Fact]
    public async Task Copy_APopulatedViewTheRoleCannotRefresh_IsRefusedBeforeAnyRow()
    {
        var (_, source, targetName, target) = Prepare();
        _servers.Prod.ExecuteSql(targetName, """
            DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'report_owner') THEN CREATE ROLE report_owner; END IF; END $$;
            GRANT SELECT ON users, posts TO report_owner;
            ALTER MATERIALIZED VIEW creator_posts OWNER TO report_owner;
            """);

        var error = await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext()));

        Assert.Equal("TargetPermissionDenied", error.ErrorId);
        Assert.Contains("public.creator_posts", error.Message);
        Assert.Contains("report_owner", error.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
    }
}
