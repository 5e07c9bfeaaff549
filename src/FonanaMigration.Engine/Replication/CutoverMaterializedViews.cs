using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Logical replication does not carry materialized views: at cut-over every materialized view on the target (populated
/// or never populated) is refreshed from the rows that just arrived, in the dependency order the schema reader gives
/// (<see cref="MaterializedViewReader"/>), so one built on another comes after it.
/// </summary>
internal static class CutoverMaterializedViews
{
    private static readonly EventId Refreshed = EngineEvents.CutoverMaterializedViewRefreshed;

    public static async Task<int> RefreshAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context)
    {
        var views = targetSchema.MaterializedViews ?? new();
        foreach (var view in views)
        {
            await ServerStatement.ExecuteAsync(target, "REFRESH MATERIALIZED VIEW " + view.QualifiedName.Sql, context.CancellationToken).ConfigureAwait(false);
            context.Logger.LogInformation(Refreshed, "Refreshed the materialized view {View} on the target.", view.QualifiedName.ToString());
        }
        return views.Count;
    }
}
