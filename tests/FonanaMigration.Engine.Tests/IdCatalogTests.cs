using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace FonanaMigration.Engine.Tests;

/// <summary>The one catalog of error ids and event ids: no id twice, and README.md lists exactly the catalog's error ids.</summary>
public class IdCatalogTests
{
    private static readonly IReadOnlyList<FieldInfo> ErrorIdFields =
        typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();

    [Fact]
    public void EveryErrorIdIsUniqueAndNamedAsItReads()
    {
        Assert.NotEmpty(ErrorIdFields);
        var values = ErrorIdFields.Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(values.Count, values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(ErrorIdFields, f => Assert.Equal(f.Name, f.GetRawConstantValue()));
    }

    [Fact]
    public void EveryEventIdNumberIsUsedOnce()
    {
        var events = typeof(EngineEvents).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EventId)).Select(f => (f.Name, Event: (EventId)f.GetValue(null)!)).ToList();
        Assert.NotEmpty(events);
        var twice = events.GroupBy(e => e.Event.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}").ToList();
        Assert.True(twice.Count == 0, "Event ids used more than once: " + string.Join("; ", twice));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Event.Name), $"{e.Name} has no event name"));
    }

    [Fact]
    public void ReadmeListsExactlyTheCatalogsErrorIds()
    {
        var readme = File.ReadAllText(FindReadme()).Replace("\r\n", "\n");
        var start = readme.IndexOf("Errors carry stable ids a runbook can catch", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no paragraph starting 'Errors carry stable ids a runbook can catch'");
        var end = readme.IndexOf("\n\n", start, StringComparison.Ordinal);
        var paragraph = readme[start..(end < 0 ? readme.Length : end)];
        var listed = Regex.Matches(paragraph, @"`(\w+)`").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var catalog = ErrorIdFields.Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        Assert.True(listed.SetEquals(catalog),
            $"Missing from README.md: {string.Join(", ", catalog.Except(listed).Order())}. Not in the catalog: {string.Join(", ", listed.Except(catalog).Order())}.");
    }

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FonanaMigration.sln")))
                return Path.Combine(dir.FullName, "README.md");
        throw new FileNotFoundException("No FonanaMigration.sln above " + AppContext.BaseDirectory);
    }
}
