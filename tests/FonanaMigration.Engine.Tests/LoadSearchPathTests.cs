using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>The target's own functions (CHECK constraints, as DAViCal's real_path_exists) run during the load under the application's search_path.</summary>
[Collection(ServerCollection.Name)]
public class LoadSearchPathTests
{
    private readonly ServerFixture _servers;

    public LoadSearchPathTests(ServerFixture servers) => _servers = servers;

    [Fact]
    public async Task Copy_CheckConstraintCallingAFunctionThatNamesATableUnqualified_Loads()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        // Written as applications write them: "posts", not "public.posts".
        const string check = """
            CREATE FUNCTION post_known(id text) RETURNS boolean LANGUAGE plpgsql STABLE AS $f$
            BEGIN RETURN id IS NULL OR EXISTS (SELECT 1 FROM posts WHERE posts.id IS NOT NULL) OR true; END $f$;
            ALTER TABLE comments ADD CONSTRAINT comments_post_known CHECK (post_known("postId"));
            """;
        _servers.Local.ExecuteSql(sourceName, check, asRole: FonanaDatabase.DefaultRole);
        _servers.Prod.ExecuteSql(targetName, check, asRole: FonanaDatabase.DefaultRole);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        Assert.True(result.Verified);
        Assert.Equal(_servers.Local.QueryScalar(sourceName, "SELECT count(*) FROM comments"), _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM comments"));
    }
}
