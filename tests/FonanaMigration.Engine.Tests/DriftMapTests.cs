using System.Collections;
using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// A source drifted the way `prisma db push` drifts it (tests/fixtures/fonana/drift) moved into a target the migrations
/// made, through a migration map: refused without one, refused when the map is wrong or would lose data it does not
/// name, and verified against the mapped source when it is right, through Copy and through Export | Import.
/// </summary>
[Collection(ServerCollection.Name)]
public class DriftMapTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-drift-").FullName;
    private static int _sequence;

    public DriftMapTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private (string Name, DatabaseEndpoint Endpoint) DriftedSource()
    {
        var name = DriftedFonanaDatabase.CreateSource(_servers.Local, $"drifted{Interlocked.Increment(ref _sequence)}");
        return (name, ServerFixture.Endpoint(_servers.Local, name));
    }

    private (string Name, DatabaseEndpoint Endpoint) MigratedTarget()
    {
        var name = DriftedFonanaDatabase.CreateTarget(_servers.Prod, $"migrated{Interlocked.Increment(ref _sequence)}");
        return (name, ServerFixture.Endpoint(_servers.Prod, name));
    }

    /// <summary>The map a person ends up with for the drifted fixture (the shape the issue gives).</summary>
    private static Hashtable FilledMap() => new()
    {
        ["Columns"] = new Hashtable
        {
            ["public.posts.imageAspectRatio"] = "\"imageAspectRatio\"::text",
            ["public.users.token"] = new Hashtable { ["Drop"] = true },
            ["public.conversations.fromUserId"] = new Hashtable { ["Drop"] = true },
            ["public.conversations.toUserId"] = new Hashtable { ["Drop"] = true },
        },
        ["Tables"] = new Hashtable
        {
            ["public._ConversationParticipants"] = new Hashtable
            {
                ["From"] = "SELECT id AS \"A\", \"fromUserId\" AS \"B\" FROM conversations UNION SELECT id, \"toUserId\" FROM conversations",
            },
        },
        ["EnumLabels"] = new Hashtable { ["public.NotificationType"] = new Hashtable { ["SYSTEM_ANNOUNCEMENT"] = "SYSTEM" } },
    };

    private static MigrationMap Read(IDictionary map)
    {
        var problems = new List<string>();
        var read = MigrationMapReader.Read(map, problems);
        Assert.Empty(problems);
        return read;
    }

    private long Count(PostgresServer server, string database, string sql) => long.Parse(server.QueryScalar(database, sql));

    private void AssertMigratedThroughTheMap(string sourceName, string targetName, TargetLoadResult result)
    {
        Assert.True(result.Verified);
        foreach (var table in new[] { "users", "posts", "conversations", "messages", "notifications", "comments" })
            Assert.Equal(Count(_servers.Local, sourceName, $"SELECT count(*) FROM \"{table}\""), Count(_servers.Prod, targetName, $"SELECT count(*) FROM \"{table}\""));
        // The join table holds both participants of every conversation, and nothing else.
        var participants = _servers.Local.QueryScalar(sourceName,
            "SELECT string_agg(p, ',' ORDER BY p) FROM (SELECT id || ':' || \"fromUserId\" AS p FROM conversations UNION SELECT id || ':' || \"toUserId\" FROM conversations) s");
        Assert.Equal(participants, _servers.Prod.QueryScalar(targetName, "SELECT string_agg(\"A\" || ':' || \"B\", ',' ORDER BY \"A\" || ':' || \"B\") FROM \"_ConversationParticipants\""));
        Assert.Equal(6, Count(_servers.Prod, targetName, "SELECT count(*) FROM \"_ConversationParticipants\""));
        // Values moved through their expressions and label maps.
        Assert.Equal(_servers.Local.QueryScalar(sourceName, "SELECT string_agg(id || '=' || \"imageAspectRatio\"::text, ',' ORDER BY id) FROM posts"),
            _servers.Prod.QueryScalar(targetName, "SELECT string_agg(id || '=' || \"imageAspectRatio\", ',' ORDER BY id) FROM posts"));
        var relabelled = Count(_servers.Local, sourceName, "SELECT count(*) FROM notifications WHERE type = 'SYSTEM_ANNOUNCEMENT'");
        Assert.True(relabelled > 0);
        Assert.Equal(relabelled, Count(_servers.Prod, targetName, "SELECT count(*) FROM notifications WHERE type = 'SYSTEM'"));
        // Foreign keys hold (they were re-validated before COMMIT; prove none is missing or invalid).
        Assert.Equal(0, Count(_servers.Prod, targetName, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"));
        Assert.Equal(4, Count(_servers.Prod, targetName, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('\"_ConversationParticipants\"'::regclass, 'messages'::regclass)"));
        // Each drop says what it discarded.
        var token = Assert.Single(result.Dropped, d => d.Object == "public.users.token");
        Assert.Equal(Count(_servers.Local, sourceName, "SELECT count(token) FROM users"), token.Discarded);
        Assert.Equal(3, Assert.Single(result.Dropped, d => d.Object == "public.conversations.fromUserId").Discarded);
    }

    [Fact]
    public async Task Copy_DriftedSourceWithoutMap_IsRefusedAsIncompatible()
    {
        var (_, source) = DriftedSource();
        var (_, target) = MigratedTarget();
        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext()));
        Assert.Equal("SchemaIncompatible", ex.ErrorId);
    }

    [Fact]
    public async Task Copy_WithFilledMap_MovesMappedRowsAndVerifiesThemAgainstTheMappedSource()
    {
        var (sourceName, source) = DriftedSource();
        var (targetName, target) = MigratedTarget();
        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Map = Read(FilledMap()) }, new RunContext());
        AssertMigratedThroughTheMap(sourceName, targetName, result);
    }

    [Fact]
    public async Task ExportImport_WithFilledMap_MovesMappedRowsAndVerifiesThemAgainstTheMappedArchive_AndRecordsATableFilledOnTheTargetAsNotStreamed()
    {
        var (sourceName, source) = DriftedSource();
        var (targetName, target) = MigratedTarget();
        var archive = Path.Combine(_work, "drifted.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = archive }, new RunContext());
        var result = await DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive, Map = Read(FilledMap()) }, new RunContext());
        AssertMigratedThroughTheMap(sourceName, targetName, result);
        // The join table is filled From a query over the staged rows (INSERT … SELECT): no COPY, so no bytes and no FREEZE.
        var participants = result.Tables.Single(t => t.Table == "public.\"_ConversationParticipants\"");
        Assert.Equal((6L, 0L, false), (participants.Rows, participants.Bytes, participants.Frozen));
    }

    [Fact]
    public async Task Import_MapIntoTargetHoldingRows_IsRefusedBeforeAnyTableIsStaged()
    {
        var (_, source) = DriftedSource();
        var (targetName, target) = MigratedTarget();
        var archive = Path.Combine(_work, "drifted.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = archive }, new RunContext());
        await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Map = Read(FilledMap()) }, new RunContext());
        var before = Count(_servers.Prod, targetName, "SELECT count(*) FROM users");

        using var host = new RecordingHost();
        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive, Map = Read(FilledMap()) }, host.Context));

        Assert.Equal("TargetNotEmpty", ex.ErrorId);
        // Staging copies the whole archive onto the target: a refusal known up front must come before it.
        var messages = host.Drain();
        Assert.DoesNotContain(messages, m => m.EventName == nameof(EngineEvents.MapStaged));
        Assert.DoesNotContain(messages, m => m.Text.Contains("CREATE TEMP TABLE"));
        Assert.Equal(before, Count(_servers.Prod, targetName, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Copy_MapThatWouldLoseUnnamedData_IsRefusedBeforeAnythingIsWritten()
    {
        var (_, source) = DriftedSource();
        var (targetName, target) = MigratedTarget();
        var map = FilledMap();
        ((Hashtable)map["Columns"]!).Remove("public.users.token");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Map = Read(map) }, new RunContext()));

        Assert.Equal("MigrationMapInvalid", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidData, ex.Kind);
        Assert.Contains(ex.Details.Cast<string>(), p => p.Contains("users.token") && p.Contains("would be lost"));
        Assert.Equal(0, Count(_servers.Prod, targetName, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM posts) + (SELECT count(*) FROM \"_ConversationParticipants\")"));
    }

    [Fact]
    public async Task Import_MapWithUnknownNamesUndecidedEntriesAndBrokenSql_ListsEveryProblemAndWritesNothing()
    {
        var (_, source) = DriftedSource();
        var (targetName, target) = MigratedTarget();
        var archive = Path.Combine(_work, "drifted.fnz");
        await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = archive }, new RunContext());
        var map = FilledMap();
        var columns = (Hashtable)map["Columns"]!;
        columns["public.users.no_such_column"] = "1";
        columns["public.users.token"] = new Hashtable { ["Decide"] = "Drop it, or move it somewhere." };
        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive, Map = Read(map) }, new RunContext()));
        Assert.Equal("MigrationMapInvalid", ex.ErrorId);
        var problems = ex.Details.Cast<string>().ToList();
        Assert.Contains(problems, p => p.Contains("no_such_column"));
        Assert.Contains(problems, p => p.StartsWith("Undecided") && p.Contains("users.token"));

        // With the names right, an expression that does not type-check on the rows is refused too.
        columns.Remove("public.users.no_such_column");
        columns["public.users.token"] = new Hashtable { ["Drop"] = true };
        columns["public.posts.imageAspectRatio"] = "\"imageAspectRatio\" + interval '1 day'";
        ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive, Map = Read(map) }, new RunContext()));
        Assert.Contains(ex.Details.Cast<string>(), p => p.Contains("public.posts.imageAspectRatio") && p.Contains("operator"));
        Assert.Equal(0, Count(_servers.Prod, targetName, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM posts)"));
    }

    [Fact]
    public void Reader_MalformedEntries_AreEachReported()
    {
        var problems = new List<string>();
        MigrationMapReader.Read(new Hashtable
        {
            ["Colums"] = new Hashtable(),
            ["Columns"] = new Hashtable { ["users.token"] = new Hashtable { ["Drop"] = true }, ["public.users.x"] = 5 },
            ["Tables"] = new Hashtable { ["public.t"] = new Hashtable { ["Drop"] = true, ["From"] = "SELECT 1" } },
        }, problems);
        Assert.Contains(problems, p => p.Contains("Colums"));
        Assert.Contains(problems, p => p.Contains("users.token") && p.Contains("schema.table.column"));
        Assert.Contains(problems, p => p.Contains("public.users.x"));
        Assert.Contains(problems, p => p.Contains("exactly one of From, Drop or Target"));
    }
}
