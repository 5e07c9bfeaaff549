using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// What a load records per table besides its rows: which keys, indexes and foreign keys it dropped and rebuilt, and
/// the time that took, on exactly the tables they belong to.
/// </summary>
[Collection(ServerCollection.Name)]
public class TableLoadResultTests
{
    private readonly ServerFixture _servers;

    public TableLoadResultTests(ServerFixture servers) => _servers = servers;

    [Fact]
    public async Task DeferredLoad_RecordsOnEachTableTheKeysIndexesAndForeignKeysItRebuilt()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext());

        // notifications: notifications_pkey; notifications_seq_key and notifications_userId_isRead_idx; notifications_userId_fkey.
        var notifications = result.Tables.Single(t => t.Table == "public.notifications");
        Assert.Equal(new RebuiltConstraints(1, 0, 2, 1), notifications.Rebuilt);
        Assert.True(notifications.RebuildElapsed > TimeSpan.Zero);
        // verification_tokens: no key, no foreign key, two unique indexes.
        Assert.Equal(new RebuiltConstraints(0, 0, 2, 0), result.Tables.Single(t => t.Table == "public.verification_tokens").Rebuilt);
    }

    [Fact]
    public async Task LoadWithConstraintsInPlace_RecordsOnlyTheForeignKeyThatClosesTheCycle()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (_, target) = _servers.Empty(_servers.Prod);

        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, DeferConstraints = false }, new RunContext());

        // users."pinnedPostId" -> posts and posts."creatorId" -> users form the cycle; one of them is re-added after the load.
        var rebuilt = Assert.Single(result.Tables, t => t.Rebuilt.Any);
        Assert.Contains(rebuilt.Table, new[] { "public.users", "public.posts" });
        Assert.Equal(new RebuiltConstraints(0, 0, 0, 1), rebuilt.Rebuilt);
        Assert.All(result.Tables.Where(t => t != rebuilt), t => Assert.Equal(TimeSpan.Zero, t.RebuildElapsed));
    }
}
