using Microsoft.Extensions.Logging;


namespace FonanaMigration.Engine.Mapping;

/// <summary>The one error a map that cannot be used ends in: every problem listed, nothing written.</summary>
internal static class MigrationMapInvalid
{
    public const string ErrorId = "MigrationMapInvalid";
    private static readonly EventId Dropped = EngineEvents.MapDropped;

    public static void ThrowIfAny(IReadOnlyList<string> problems, string sourceDescription)
    {
        if (problems.Count == 0) return;
        throw new MigrationException(FailureKind.InvalidData, ErrorId,
            $"The migration map cannot move {sourceDescription} ({problems.Count} problem(s)); nothing was written:{Environment.NewLine}" +
            string.Join(Environment.NewLine, problems.Select((p, i) => $"  {i + 1}. {p}")), "Map") { Details = problems.Cast<object>().ToList() };
    }

    /// <summary>Says, before the load, what each Drop entry will discard.</summary>
    public static void LogDrops(IEnumerable<MapDrop> drops, RunContext context)
    {
        foreach (var drop in drops)
            context.Logger.LogWarning(Dropped, "The map drops {Object}: {Discarded} {What} will not move.", drop.Object, drop.Discarded,
                drop.Kind == "Table" ? "row(s)" : "non-NULL value(s)");
    }
}
