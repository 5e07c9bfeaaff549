using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Logical replication does not carry materialized views: at cut-over every populated (or never populated) materialized
/// view on the target is refreshed from the rows that just arrived, in creation order so one built on another comes after it.
/// </summary>
internal static class CutoverMaterializedViews
{
    private static readonly EventId Refreshed = EngineEvents.CutoverMaterializedViewRefreshed;

    public static async Task<int> RefreshAsync(NpgsqlConnection target, RunContext context)
    {
        var ct = context.CancellationToken;
        var views = await ServerStatement.RowsAsync(target, """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'm' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY c.oid
            """, r => r.GetString(0), ct).ConfigureAwait(false);
        foreach (var view in views)
        {
            await ServerStatement.ExecuteAsync(target, "REFRESH MATERIALIZED VIEW " + view, ct).ConfigureAwait(false);
            context.Logger.LogInformation(Refreshed, "Refreshed the materialized view {View} on the target.", view);
        }
        return views.Count;
    }
}
