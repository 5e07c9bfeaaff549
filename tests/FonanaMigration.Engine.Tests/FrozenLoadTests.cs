using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

[Collection(ServerCollection.Name)]
public class FrozenLoadTests
{
    private readonly ServerFixture _servers;

    public FrozenLoadTests(ServerFixture servers) => _servers = servers;

    // COPY FREEZE marks every page it writes all-visible; a plain COPY leaves that to a later VACUUM. The ANALYZE the
    // load runs after COMMIT counts the all-visible pages into relallvisible.
    [Fact]
    public async Task Copy_IntoAnEmptyTarget_WritesEveryPageAllVisible_AndRecordsTheTableFrozen()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        Assert.True(result.Verified);
        Assert.Equal("t", _servers.Prod.QueryScalar(targetName,
            "SELECT relpages > 0 AND relallvisible = relpages FROM pg_class WHERE oid = 'public.comments'::regclass"));
        Assert.True(result.Tables.Single(t => t.Table == "public.comments").Frozen);
    }

    // TRUNCATE of a table that a table outside the load references fails; the load must see that up front and
    // load without FREEZE instead of failing.
    [Fact]
    public async Task Copy_OfATableReferencedFromOutsideTheLoad_LoadsWithoutTruncatingAndIsVerified_AndNotRecordedFrozen()
    {
        const string ddl = """
            CREATE TABLE zz_parent (id int PRIMARY KEY);
            CREATE TABLE zz_child (parent int REFERENCES zz_parent(id));
            """;
        var ((sourceName, source), (targetName, target)) = _servers.EmptyPair(ddl);
        _servers.Local.ExecuteSql(sourceName, "INSERT INTO zz_parent SELECT generate_series(1, 50);", asRole: FonanaDatabase.DefaultRole);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "zz_parent" }) }, new RunContext());

        Assert.True(result.Verified);
        Assert.Equal("50", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM zz_parent"));
        Assert.False(Assert.Single(result.Tables).Frozen);
    }
}
