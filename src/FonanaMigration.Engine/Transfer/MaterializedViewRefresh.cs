using Microsoft.Extensions.Logging;
using Npgsql;
using FonanaMigration.Engine.Verification;


namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// After the rows are in, inside the load's transaction (so the views change atomically with the tables): every
/// materialized view of the target that reads a loaded table is refreshed, in dependency order, when it is populated
/// on the source, and left (or made) unpopulated when it is not. An archive from before views were recorded keeps
/// each view's populated state of the target. A refreshed view is then compared with the source's view; a difference
/// is a warning, not a failed load: the tables are verified, and the source's own view may simply be stale.
/// </summary>
internal sealed class MaterializedViewRefresh
{
    private static readonly EventId Refreshed = EngineEvents.MaterializedViewRefreshed;
    private static readonly EventId Differs = EngineEvents.MaterializedViewDiffers;

    private readonly List<(MaterializedViewSchema Target, MaterializedViewSchema? Source, bool Populate)> _plan;

    private MaterializedViewRefresh(List<(MaterializedViewSchema, MaterializedViewSchema?, bool)> plan) => _plan = plan;

    /// <summary>The views the load refreshes or empties (the role must own them).</summary>
    // A view unpopulated on both sides needs nothing, so nothing its owner must allow.
    public IReadOnlyList<QualifiedName> Views => _plan.Where(p => p.Populate || p.Target.Populated).Select(p => p.Target.QualifiedName).ToList();

    public static MaterializedViewRefresh Plan(SchemaSnapshot target, SchemaSnapshot source, IEnumerable<QualifiedName> loaded)
    {
        var touched = MaterializedViewMeasure.Touched(target, loaded);
        var plan = new List<(MaterializedViewSchema, MaterializedViewSchema?, bool)>();
        foreach (var view in target.MaterializedViews ?? new())
        {
            if (!view.DependsOnTables.Any(touched.Contains)) continue;
            var onSource = source.MaterializedViews?.FirstOrDefault(v => v.Schema == view.Schema && v.Name == view.Name);
            var populate = source.MaterializedViews is null || onSource is null ? view.Populated : onSource.Populated;
            plan.Add((view, onSource, populate));
        }
        return new MaterializedViewRefresh(plan);
    }

    public async Task<List<MaterializedViewResult>> ApplyAsync(NpgsqlConnection connection, RunContext context, Action<string> onStep)
    {
        var ct = context.CancellationToken;
        var results = new List<MaterializedViewResult>();
        foreach (var (view, source, populate) in _plan)
        {
            var name = view.QualifiedName;
            onStep($"Refreshing materialized view {name}");
            if (!populate)
            {
                if (view.Populated)
                    await Sql.ExecuteAsync(connection, $"REFRESH MATERIALIZED VIEW {name.Sql} WITH NO DATA", context).ConfigureAwait(false);
                results.Add(new MaterializedViewResult { Name = name.ToString(), Populated = false });
                continue;
            }

            await Sql.ExecuteAsync(connection, $"REFRESH MATERIALIZED VIEW {name.Sql}", context).ConfigureAwait(false);
            bool? matches = null;
            long rows;
            if (source?.Rows is long expected && source.ContentChecksum is not null && source.Columns.All(view.Columns.Contains))
            {
                var measured = await ContentChecksum.ComputeAsync(connection, name, source.Columns, ct).ConfigureAwait(false);
                rows = measured.Rows;
                matches = measured.Rows == expected && measured.Checksum == source.ContentChecksum;
                if (matches == false)
                    context.Logger.LogWarning(Differs, "The refreshed materialized view {View} holds {Rows} rows, the source's view {Expected}, or other content: the source's view is stale (refreshed before its tables last changed) or its query is not deterministic.",
                        name.ToString(), measured.Rows, expected);
            }
            else
            {
                rows = await ContentChecksum.CountAsync(connection, name, ct).ConfigureAwait(false);
            }
            context.Logger.LogInformation(Refreshed, "Refreshed materialized view {View}: {Rows} rows.", name.ToString(), rows);
            results.Add(new MaterializedViewResult { Name = name.ToString(), Populated = true, Rows = rows, ExpectedRows = source?.Rows, MatchesSource = matches });
        }
        return results;
    }
}
