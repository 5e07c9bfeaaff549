using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Tests;

public class TableFilterTests
{
    private static readonly QualifiedName Users = new("public", "users");
    private static readonly QualifiedName Audit = new("audit", "users");
    private static readonly QualifiedName History = new("public", "_prisma_migrations");

    [Fact]
    public void NoPatterns_TakeEveryTableButPrismaHistory()
    {
        Assert.True(TableFilter.All.Includes(Users));
        Assert.False(TableFilter.All.Includes(History));
    }

    [Fact]
    public void PrismaHistory_IsTakenOnlyWhenNamedExactly()
    {
        Assert.True(new TableFilter(new[] { "_prisma_migrations" }).Includes(History));
        Assert.False(new TableFilter(new[] { "*" }).Includes(History));
    }

    [Fact]
    public void PatternWithoutSchema_MatchesEverySchema_AndWithSchemaOnlyOne()
    {
        Assert.True(new TableFilter(new[] { "us*" }).Includes(Audit));
        Assert.False(new TableFilter(new[] { "public.us*" }).Includes(Audit));
        Assert.True(new TableFilter(new[] { "public.us?rs" }).Includes(Users));
    }

    [Fact]
    public void Exclusions_WinOverInclusions()
    {
        Assert.False(new TableFilter(new[] { "*" }, new[] { "audit.*" }).Includes(Audit));
    }

    [Fact]
    public void UnmatchedIncludePattern_IsReported()
    {
        var filter = new TableFilter(new[] { "users", "postz" });
        Assert.Equal(new[] { "postz" }, filter.UnmatchedPatterns(new[] { Users }));
    }
}
