namespace FonanaMigration.Engine.Selection;

/// <summary>The tables whose rows a command reads: export, copy, counts, integrity and media rewrites all pick them the same way.</summary>
public static class TableSelection
{
    internal static List<TableSchema> Select(SchemaSnapshot schema, TableFilter filter)
    {
        // Partitioned parents hold no rows of their own: their leaf partitions are exported, each row exactly once.
        var candidates = schema.Tables.Where(t => t.Kind == "r").ToList();
        var unmatched = filter.UnmatchedPatterns(candidates.Select(t => t.QualifiedName)).ToList();
        if (unmatched.Count > 0)
            throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.TableNotFound,
                $"No table matches {string.Join(", ", unmatched.Select(p => "'" + p + "'"))}.", unmatched[0]);
        return candidates.Where(t => filter.Includes(t.QualifiedName)).ToList();
    }
}
