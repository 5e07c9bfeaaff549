using FonanaMigration.Engine.Transfer;

namespace FonanaMigration;

/// <summary>
/// One table (or materialized view) of an import or copy, as a DBA reads it: written by Import/Copy-FonanaDatabase
/// -PerTable before the summary. It has no Target, Path or Source property, so only the summary binds to
/// Assert-FonanaRowCount down the pipeline (Assert skips objects it cannot bind only as an error, so they stay apart).
/// </summary>
public sealed class LoadedTable
{
    /// <summary>The table or view, as the load named it.</summary>
    public string Table { get; init; } = "";
    /// <summary>Loaded (it holds the rows now), Empty (there were no rows to load), Refreshed or Unpopulated (a materialized view).</summary>
    public string Status { get; init; } = "";
    /// <summary>Rows loaded (a view: rows after its refresh; null when left unpopulated).</summary>
    public long? Rows { get; init; }
    /// <summary>Time its rows took to load; null for a view, refreshed with the others after the tables.</summary>
    public TimeSpan? Elapsed { get; init; }
    /// <summary>Count and checksum equal the source's, checked before COMMIT; for a view, null when there was nothing to compare.</summary>
    public bool? Verified { get; init; }
    /// <summary>What else happened to it, e.g. "map dropped public.users.token: 3 non-NULL value(s) discarded".</summary>
    public string Notes { get; init; } = "";

    /// <summary>The summary's tables, then its materialized views, in the order the load handled them.</summary>
    public static IEnumerable<LoadedTable> From(TargetLoadResult result)
    {
        foreach (var table in result.Tables)
        {
            var drops = result.Dropped.Where(d => d.Object == table.Table || d.Object.StartsWith(table.Table + ".", StringComparison.Ordinal));
            // Cleaned says -Clean removed rows somewhere; which tables held them is not recorded, so the note says what -Clean did to each.
            var notes = (result.Cleaned ? new[] { "emptied first (-Clean)" } : Array.Empty<string>()).Concat(drops.Select(d => "map dropped " + d));
            yield return new LoadedTable
            {
                Table = table.Table,
                Status = table.Rows == 0 ? "Empty" : "Loaded",
                Rows = table.Rows,
                Elapsed = table.Elapsed,
                Verified = table.Verified,
                Notes = string.Join("; ", notes),
            };
        }
        foreach (var view in result.MaterializedViews)
        {
            yield return new LoadedTable
            {
                Table = view.Name,
                Status = view.Populated ? "Refreshed" : "Unpopulated",
                Rows = view.Rows,
                Verified = view.MatchesSource,
                Notes = view.Populated ? "materialized view refreshed in the transaction" : "materialized view left unpopulated, as on the source",
            };
        }
    }
}
