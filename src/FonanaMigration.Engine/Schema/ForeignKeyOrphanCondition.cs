namespace FonanaMigration.Engine.Schema;

/// <summary>
/// When a row of the referencing table (alias c) breaks its foreign key: its key is set and no row of the referenced
/// table (alias p) matches it. The integrity check and the replication cut-over both look for such rows, because a
/// NOT VALID constraint or a load with session_replication_role = replica never ran the check.
/// </summary>
internal static class ForeignKeyOrphanCondition
{
    /// <param name="parentFrom">The referenced table as the FROM clause names it.</param>
    public static string Sql(ConstraintSchema fk, string parentFrom)
    {
        var columns = fk.Columns.Select(c => "c." + Identifier.Quote(c)).ToList();
        var join = string.Join(" AND ", fk.Columns.Zip(fk.ReferencedColumns, (c, p) => $"p.{Identifier.Quote(p)} = c.{Identifier.Quote(c)}"));
        var allSet = string.Join(" AND ", columns.Select(c => c + " IS NOT NULL"));
        var missing = $"({allSet} AND NOT EXISTS (SELECT 1 FROM {parentFrom} p WHERE {join}))";
        // MATCH SIMPLE (the default): a row with any NULL in the key references nothing and is fine.
        // MATCH FULL: a partly NULL key is itself a violation.
        if (fk.Definition.Contains("MATCH FULL", StringComparison.Ordinal) && columns.Count > 1)
            missing = $"({missing} OR num_nonnulls({string.Join(", ", columns)}) BETWEEN 1 AND {columns.Count - 1})";
        return missing;
    }
}
