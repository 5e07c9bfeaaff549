using FonanaMigration.Engine.Verification;
using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// Assert -Source/-Target -Checksum compares two live servers (PostgreSQL 14+, here in different time zones) with
/// typed-hash-v1 on both sides, says so in every checksummed result, and still sees a one-character change in a text
/// column and a one-microsecond change in a timestamptz.
/// </summary>
[Collection(ServerCollection.Name)]
public class LiveChecksumAlgorithmTests
{
    private readonly ServerFixture _servers;

    public LiveChecksumAlgorithmTests(ServerFixture servers) => _servers = servers;

    /// <summary>A table with a text and a timestamptz column and a view over it, the same on both sides.</summary>
    internal const string EventsSql = """
        CREATE TABLE events (id int PRIMARY KEY, note text NOT NULL, at timestamptz NOT NULL);
        CREATE MATERIALIZED VIEW event_notes AS SELECT id, note, at FROM events;
        """;

    internal const string EventRowsSql = """
        INSERT INTO events SELECT i, 'note ' || i, timestamptz '2024-03-10 01:30:00.123456+00' + i * interval '1 hour' FROM generate_series(1, 50) i;
        REFRESH MATERIALIZED VIEW event_notes;
        """;

    /// <summary>One character of one row's text, or one microsecond of one row's timestamptz.</summary>
    internal const string OneCharacter = "UPDATE events SET note = 'note 7x' WHERE id = 7";
    internal const string OneMicrosecond = "UPDATE events SET at = at + interval '1 microsecond' WHERE id = 7";
    internal const string Restore = "UPDATE events SET note = 'note 7', at = timestamptz '2024-03-10 01:30:00.123456+00' + 7 * interval '1 hour' WHERE id = 7";

    [Fact]
    public async Task AssertSourceTarget_UsesTheTypedHashOnBothSides_AgreesWhenEqual_AndSeesOneCharacterAndOneMicrosecond()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Local.ExecuteSql(sourceName, EventsSql + EventRowsSql, asRole: FonanaDatabase.DefaultRole);
        _servers.Prod.ExecuteSql(targetName, EventsSql, asRole: FonanaDatabase.DefaultRole);
        await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        var equal = await VerifyAsync(source, target);
        Assert.All(equal, c => Assert.True(c.Match, $"{c.Name}: {c.ExpectedChecksum} / {c.ActualChecksum}"));
        // Every table and the view were checksummed, all with the typed hash: a silent fall-back to text would show here.
        Assert.All(equal.Where(c => c.Kind != "Query"), c => Assert.Equal("typed-hash-v1", c.ChecksumAlgorithm));
        Assert.Contains(equal, c => c.Name == "public.event_notes" && c.Kind == "MaterializedView" && c.ChecksumMatch == true);

        foreach (var change in new[] { OneCharacter, OneMicrosecond })
        {
            _servers.Prod.ExecuteSql(targetName, change, asRole: FonanaDatabase.DefaultRole);
            var differing = (await VerifyAsync(source, target)).Where(c => !c.Match).ToList();
            _servers.Prod.ExecuteSql(targetName, Restore, asRole: FonanaDatabase.DefaultRole);

            var events = Assert.Single(differing);
            Assert.Equal("public.events", events.Name);
            Assert.Equal(events.Expected, events.Actual);
            Assert.False(events.ChecksumMatch, change);
            Assert.Equal("typed-hash-v1", events.ChecksumAlgorithm);
        }
        Assert.All(await VerifyAsync(source, target), c => Assert.True(c.Match, c.Name));
    }

    private static Task<IReadOnlyList<RowCountComparison>> VerifyAsync(DatabaseEndpoint source, DatabaseEndpoint target) =>
        RowCountVerifier.VerifyAsync(new RowCountRequest { Source = source, Target = target, Checksum = true }, new RunContext());
}
