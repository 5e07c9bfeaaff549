using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

// ANALYZE after COMMIT runs on two sessions at once (PlannerStatistics). What must hold whatever the speed: every
// loaded table gets statistics, nothing the load started still runs once it returns, and a failure after COMMIT is a
// warning beside committed, verified rows.
[Collection(ServerCollection.Name)]
public class PlannerStatisticsTests
{
    private readonly ServerFixture _servers;

    public PlannerStatisticsTests(ServerFixture servers) => _servers = servers;

    [Fact]
    public async Task Copy_AnalyzesEveryLoadedTable_AndNoAnalyzeStillRunsWhenItReturns()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        Assert.True(result.Verified);
        // Checked at once: a session still running ANALYZE would show as active.
        Assert.Empty(_servers.Prod.ModuleBackends(targetName).Where(b => b.Split('|')[2] == "active"));
        Assert.Equal("", _servers.Prod.QueryScalar(targetName,
            "SELECT coalesce(string_agg(relname, ', '), '') FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname <> '_prisma_migrations' AND last_analyze IS NULL"));
    }

    // zz_a_ sorts first: one table after another, its failure used to cost every later table its statistics.
    // The fault is the server's own: an expression index whose function raises while ANALYZE samples it (and only
    // then: building the index and COPY evaluate it too). The rows are committed before ANALYZE starts.
    [Fact]
    public async Task Copy_WhenAnalyzeFailsAfterCommit_ReturnsTheVerifiedRowsWithAWarning_AndAnalyzesTheOtherTables()
    {
        var (sourceName, source) = _servers.Empty(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        const string ddl = AnalyzeRefusal.TableDdl + """
            CREATE TABLE zz_plain (id int PRIMARY KEY, body text);
            CREATE TABLE zz_other (id int PRIMARY KEY, body text);
            """;
        _servers.Local.ExecuteSql(sourceName, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Prod.ExecuteSql(targetName, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Local.ExecuteSql(sourceName, """
            INSERT INTO zz_a_refuses SELECT i, 'r' || i FROM generate_series(1, 500) i;
            INSERT INTO zz_plain SELECT i, 'p' || i FROM generate_series(1, 300) i;
            INSERT INTO zz_other SELECT i, 'o' || i FROM generate_series(1, 200) i;
            """, asRole: FonanaDatabase.DefaultRole);
        using var host = new RecordingHost();

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "zz_a_refuses", "zz_plain", "zz_other" }) }, host.Context);

        Assert.True(result.Verified);
        Assert.Equal("500", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM zz_a_refuses"));
        var warning = Assert.Single(host.Drain(), m => m.Level == EngineMessageLevel.Warning && m.EventName == "AnalyzeFailed");
        Assert.Contains("committed", warning.Text);
        Assert.Contains(AnalyzeRefusal.Message, warning.Text);
        Assert.Equal("zz_other, zz_plain", _servers.Prod.QueryScalar(targetName,
            "SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname LIKE 'zz%' AND last_analyze IS NOT NULL"));
        Assert.Empty(_servers.Prod.ModuleBackends(targetName).Where(b => b.Split('|')[2] == "active"));
    }
}
