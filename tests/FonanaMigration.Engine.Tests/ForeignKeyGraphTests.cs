using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Engine.Tests;

public class ForeignKeyGraphTests
{
    private static TableSchema Table(string name, params (string Name, string Parent)[] fks) => new()
    {
        Schema = "public",
        Name = name,
        Constraints = fks.Select(fk => new ConstraintSchema { Name = fk.Name, Type = "f", ReferencedTable = new QualifiedName("public", fk.Parent) }).ToList(),
    };

    private static List<string> Order(ForeignKeyGraph graph) => graph.LoadOrder.Select(n => n.Name).ToList();

    [Fact]
    public void Parents_AreLoadedBeforeTheirChildren()
    {
        var graph = ForeignKeyGraph.Build(new[]
        {
            Table("likes", ("likes_userId_fkey", "users"), ("likes_postId_fkey", "posts")),
            Table("posts", ("posts_creatorId_fkey", "users")),
            Table("users"),
        });

        Assert.Equal(new[] { "users", "posts", "likes" }, Order(graph));
        Assert.Empty(graph.CycleBreakers);
    }

    [Fact]
    public void SelfReference_NeedsNoOrderAndBreaksNothing()
    {
        var graph = ForeignKeyGraph.Build(new[] { Table("comments", ("comments_parentId_fkey", "comments")) });

        Assert.Equal(new[] { "comments" }, Order(graph));
        Assert.Empty(graph.CycleBreakers);
    }

    [Fact]
    public void TwoTableCycle_IsBrokenOnce_AndOnlyByAForeignKeyOnTheCycle()
    {
        var graph = ForeignKeyGraph.Build(new[]
        {
            Table("accounts", ("accounts_userId_fkey", "users")),
            Table("posts", ("posts_creatorId_fkey", "users")),
            Table("users", ("users_pinnedPostId_fkey", "posts"), ("users_referrerId_fkey", "users")),
        });

        var breaker = Assert.Single(graph.CycleBreakers);
        Assert.Contains(breaker.ForeignKey.Name, new[] { "posts_creatorId_fkey", "users_pinnedPostId_fkey" });
        Assert.Equal(3, graph.LoadOrder.Count);
        // accounts depends only on users, which must still come first
        Assert.True(Order(graph).IndexOf("users") < Order(graph).IndexOf("accounts"));
    }

    [Fact]
    public void ForeignKeyToATableOutsideTheLoad_IsIgnored()
    {
        var graph = ForeignKeyGraph.Build(new[] { Table("posts", ("posts_creatorId_fkey", "users")) });

        Assert.Equal(new[] { "posts" }, Order(graph));
    }

    [Fact]
    public void ThreeTableCycle_LoadsEveryTableExactlyOnce()
    {
        var graph = ForeignKeyGraph.Build(new[]
        {
            Table("a", ("a_b", "b")),
            Table("b", ("b_c", "c")),
            Table("c", ("c_a", "a")),
        });

        Assert.Equal(new[] { "a", "b", "c" }, Order(graph).OrderBy(x => x));
        Assert.Single(graph.CycleBreakers);
    }
}
