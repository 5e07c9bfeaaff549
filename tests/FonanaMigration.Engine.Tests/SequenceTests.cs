using FonanaMigration.Engine.Sequences;
using FonanaMigration.Testing;
using Npgsql;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// Sequences after a load: every sequence a copied column uses (serial, identity, or a standalone one called by a
/// DEFAULT, shared or not) moves past the rows and the source's position; after a failed load each one stands exactly
/// where it stood before.
/// </summary>
[Collection(ServerCollection.Name)]
public class SequenceTests : IDisposable
{
    // actor: a standalone sequence with no OWNED BY (older pg_dump output); a and b share one; serial_t: plain serial.
    private const string Ddl = """
        CREATE SEQUENCE actor_id_seq;
        CREATE TABLE actor (id int PRIMARY KEY DEFAULT nextval('actor_id_seq'), name text);
        CREATE SEQUENCE "Shared seq";
        CREATE TABLE seq_a (id bigint PRIMARY KEY DEFAULT nextval('"Shared seq"'), v text);
        CREATE TABLE seq_b (id bigint PRIMARY KEY DEFAULT nextval('"Shared seq"'), v text);
        CREATE TABLE serial_t (id serial PRIMARY KEY, v text);
        """;
    private static readonly string[] Tables = { "actor", "seq_a", "seq_b", "serial_t" };
    private static readonly TableFilter Filter = new(Tables);

    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-seq-").FullName;

    public SequenceTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private (string Name, DatabaseEndpoint Endpoint) Source()
    {
        var (name, endpoint) = _servers.Empty(_servers.Local);
        _servers.Local.ExecuteSql(name, Ddl + """
            INSERT INTO actor (name) SELECT 'a' || i FROM generate_series(1, 10) i;
            SELECT setval('actor_id_seq', 100);               -- the source handed out numbers it later deleted
            INSERT INTO seq_a (v) SELECT 'a' FROM generate_series(1, 5);
            INSERT INTO seq_b (v) SELECT 'b' FROM generate_series(1, 7);   -- seq_b holds 6..12
            INSERT INTO serial_t (v) SELECT 's' FROM generate_series(1, 3);
            """, asRole: FonanaDatabase.DefaultRole);
        return (name, endpoint);
    }

    private (string Name, DatabaseEndpoint Endpoint) Target()
    {
        var (name, endpoint) = _servers.Empty(_servers.Prod);
        _servers.Prod.ExecuteSql(name, Ddl, asRole: FonanaDatabase.DefaultRole);
        return (name, endpoint);
    }

    private void AssertFirstInsertSucceedsEverywhere(string target)
    {
        _servers.Prod.ExecuteSql(target, """
            INSERT INTO actor (name) VALUES ('new');
            INSERT INTO seq_a (v) VALUES ('new');
            INSERT INTO seq_b (v) VALUES ('new');
            INSERT INTO serial_t (v) VALUES ('new');
            """, asRole: FonanaDatabase.DefaultRole);
        Assert.Equal("101", _servers.Prod.QueryScalar(target, "SELECT max(id) FROM actor"));
        Assert.Equal("14", _servers.Prod.QueryScalar(target, "SELECT max(id) FROM seq_a UNION ALL SELECT max(id) FROM seq_b ORDER BY 1 DESC LIMIT 1"));
        Assert.Equal("4", _servers.Prod.QueryScalar(target, "SELECT max(id) FROM serial_t"));
    }

    [Fact]
    public async Task StandaloneAndSharedSequencesUsedByDefaults_MovePastTheRows_ThroughExportAndImport()
    {
        var (_, source) = Source();
        var (targetName, target) = Target();
        var path = Path.Combine(_work, "seq.fnz");

        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path, Tables = Filter }, new RunContext());
        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = path }, new RunContext());

        Assert.Contains(new MovedSequence("public.actor_id_seq", 1, 100), result.Sequences);
        Assert.Contains(new MovedSequence("public.\"Shared seq\"", 1, 12), result.Sequences);
        Assert.Contains(new MovedSequence("public.serial_t_id_seq", 1, 3), result.Sequences);
        AssertFirstInsertSucceedsEverywhere(targetName);
    }

    [Fact]
    public async Task StandaloneAndSharedSequencesUsedByDefaults_MovePastTheRows_ThroughCopy()
    {
        var (_, source) = Source();
        var (targetName, target) = Target();

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = Filter }, new RunContext());

        Assert.Equal(3, result.Sequences.Count);
        AssertFirstInsertSucceedsEverywhere(targetName);
    }

    [Fact]
    public async Task EachMovedSequence_IsRecordedOnEveryLoadedTableThatDrawsFromIt_AndNoOther()
    {
        var (_, source) = Source();
        var (_, target) = Target();

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = Filter }, new RunContext());

        string[] TablesOf(string sequence) => result.Tables.Where(t => t.Sequences.Any(s => s.Name == sequence)).Select(t => t.Table).Order().ToArray();
        Assert.Equal(new[] { "public.seq_a", "public.seq_b" }, TablesOf("public.\"Shared seq\""));
        Assert.Equal(new[] { "public.actor" }, TablesOf("public.actor_id_seq"));
        Assert.Equal(new MovedSequence("public.serial_t_id_seq", 1, 3), Assert.Single(result.Tables.Single(t => t.Table == "public.serial_t").Sequences));
    }

    [Fact]
    public async Task SharedSequence_MovesPastATableThatIsNotCopied()
    {
        var (_, source) = Source();
        var (targetName, target) = Target();
        // seq_b is not copied, but on the target it already holds ids up to 500 drawn from the shared sequence.
        _servers.Prod.ExecuteSql(targetName, "INSERT INTO seq_b (id, v) VALUES (500, 'kept');", asRole: FonanaDatabase.DefaultRole);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "seq_a" }) }, new RunContext());

        Assert.Equal(new MovedSequence("public.\"Shared seq\"", 1, 500), Assert.Single(result.Sequences));
        _servers.Prod.ExecuteSql(targetName, "INSERT INTO seq_a (v) VALUES ('new'); INSERT INTO seq_b (v) VALUES ('new');", asRole: FonanaDatabase.DefaultRole);
        Assert.Equal("502", _servers.Prod.QueryScalar(targetName, "SELECT max(id) FROM seq_b"));
    }

    [Fact]
    public async Task CleanLoadThatFailsAtCommit_LeavesEverySequenceExactlyWhereItWas()
    {
        var (_, source) = Source();
        var (targetName, target) = Target();
        // The target is ahead of the source: rows 1..50 and sequences at 50. A deferred constraint trigger fails the
        // COMMIT, after the sequences were set: the old rows stay, so the sequences must stay past them.
        _servers.Prod.ExecuteSql(targetName, """
            INSERT INTO actor (name) SELECT 'old' FROM generate_series(1, 50);
            INSERT INTO seq_a (v) SELECT 'old' FROM generate_series(1, 50);
            INSERT INTO serial_t (v) SELECT 'old' FROM generate_series(1, 50);
            SELECT setval('serial_t_id_seq', 70, false);
            CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON serial_t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit();
            ALTER TABLE serial_t ENABLE ALWAYS TRIGGER refuse_at_commit; -- fires during the load too (ordinary triggers on owned tables are disabled for it)
            """, asRole: FonanaDatabase.DefaultRole);
        string Positions() => _servers.Prod.QueryScalar(targetName,
            "SELECT (SELECT last_value || ' ' || is_called FROM actor_id_seq), (SELECT last_value || ' ' || is_called FROM \"Shared seq\"), (SELECT last_value || ' ' || is_called FROM serial_t_id_seq)");
        var before = Positions();

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = Filter, Clean = true }, new RunContext()));

        Assert.True(ex.Message.Contains("refused at commit"), ex.Message);
        Assert.Equal("50 true|50 true|70 false", before);
        Assert.Equal(before, Positions());
        Assert.Equal("50", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM actor"));
    }
}
