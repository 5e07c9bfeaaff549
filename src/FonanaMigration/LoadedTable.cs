using FonanaMigration.Engine.Transfer;

namespace FonanaMigration;

/// <summary>
/// One table (or materialized view) of an import or copy, as a DBA reads it: written by Import/Copy-FonanaDatabase
/// -PerTable before the summary. It has no Target, Path or Source property, so only the summary binds to
/// Assert-FonanaRowCount down the pipeline (Assert skips objects it cannot bind only as an error, so they stay apart).
/// Status, for a table: Loaded (it was empty and holds the loaded rows now), Empty (it was empty and there was nothing
/// to load), Replaced (it held rows, which -Clean removed, and holds the loaded rows now), Emptied (it held rows, which
/// -Clean removed, and there was nothing to load); for a materialized view: Refreshed (refreshed in the transaction) or
/// Unpopulated (left unpopulated, as on the source).
/// </summary>
public sealed class LoadedTable
{
    /// <summary>The table or view, as the load named it.</summary>
    public string Table { get; init; } = "";
    /// <summary>Loaded, Empty, Replaced or Emptied for a table; Refreshed or Unpopulated for a materialized view (see the class comment).</summary>
    public string Status { get; init; } = "";
    /// <summary>Rows loaded (a view: rows after its refresh; null when left unpopulated).</summary>
    public long? Rows { get; init; }
    /// <summary>Bytes streamed into the target's COPY (an import: the archive entry's size); null for a view.</summary>
    public long? Bytes { get; init; }
    /// <summary>Time spent on it: streaming its rows plus rebuilding its keys, indexes and foreign keys; null for a view, refreshed with the others after the tables.</summary>
    public TimeSpan? Elapsed { get; init; }
    /// <summary>Count and checksum equal the source's, checked before COMMIT; for a view, null when there was nothing to compare.</summary>
    public bool? Verified { get; init; }
    /// <summary>What else happened to it, e.g. "primary key, 2 indexes and 1 foreign key rebuilt; sequence public.notifications_seq_seq moved to 85".</summary>
    public string Notes { get; init; } = "";

    /// <summary>The summary's tables, then its materialized views, in the order the load handled them.</summary>
    public static IEnumerable<LoadedTable> From(TargetLoadResult result)
    {
        foreach (var table in result.Tables)
        {
            var drops = result.Dropped.Where(d => d.Object == table.Table || d.Object.StartsWith(table.Table + ".", StringComparison.Ordinal));
            yield return new LoadedTable
            {
                Table = table.Table,
                Status = (table.Cleaned, table.Rows > 0) switch
                {
                    (true, true) => "Replaced",
                    (true, false) => "Emptied",
                    (false, true) => "Loaded",
                    _ => "Empty",
                },
                Rows = table.Rows,
                Bytes = table.Bytes,
                Elapsed = table.Elapsed + table.RebuildElapsed,
                Verified = table.Verified,
                Notes = string.Join("; ", NotesOn(table).Concat(drops.Select(d => "map dropped " + d))),
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

    private static IEnumerable<string> NotesOn(TableLoadResult table)
    {
        if (table.Cleaned) yield return table.Rows > 0 ? "held rows: replaced (-Clean)" : "held rows: removed (-Clean)";
        if (table.Rebuilt.Any) yield return Rebuilt(table.Rebuilt) + " rebuilt";
        if (table.Frozen) yield return "loaded frozen (COPY FREEZE)";
        foreach (var sequence in table.Sequences) yield return $"sequence {sequence.Name} moved to {sequence.NewValue}";
    }

    // "primary key, 1 unique constraint, 2 indexes and 3 foreign keys": a table has at most one primary key.
    private static string Rebuilt(RebuiltConstraints rebuilt)
    {
        static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
        var parts = new List<string>();
        if (rebuilt.PrimaryKeys > 0) parts.Add("primary key");
        if (rebuilt.UniqueConstraints > 0) parts.Add(Count(rebuilt.UniqueConstraints, "unique constraint", "unique constraints"));
        if (rebuilt.Indexes > 0) parts.Add(Count(rebuilt.Indexes, "index", "indexes"));
        if (rebuilt.ForeignKeys > 0) parts.Add(Count(rebuilt.ForeignKeys, "foreign key", "foreign keys"));
        return parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
    }
}
