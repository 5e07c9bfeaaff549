using Npgsql;

namespace FonanaMigration.Engine.Verification;

/// <summary>
/// What a populated materialized view of the source holds, measured in the source's snapshot (rows and content
/// checksum), so the target's refreshed view can be compared with it after a load and by Assert-FonanaCounts.
/// </summary>
internal static class MaterializedViewMeasure
{
    /// <summary>
    /// On a source snapshot: the row count and content checksum of every populated view that reads one of the
    /// selected tables, recorded in the schema (and so in an archive's manifest).
    /// An archive's views stay <see cref="ChecksumAlgorithm.RowText"/> (the default): only a comparison that computes
    /// both sides in the same run passes another <paramref name="algorithm"/>.
    /// </summary>
    public static async Task MeasureSourceAsync(NpgsqlConnection connection, SchemaSnapshot schema, IEnumerable<TableSchema> selected, CancellationToken ct,
        ChecksumAlgorithm? algorithm = null)
    {
        var touched = Touched(schema, selected.Select(t => t.QualifiedName));
        foreach (var view in schema.MaterializedViews ?? new())
        {
            if (!view.Populated || !view.DependsOnTables.Any(touched.Contains)) continue;
            var measured = await ContentChecksum.ComputeAsync(connection, view.QualifiedName, view.Columns, algorithm ?? ChecksumAlgorithm.RowText, ct).ConfigureAwait(false);
            view.Rows = measured.Rows;
            view.ContentChecksum = measured.Checksum;
        }
    }

    // The loaded tables and, since a view on a partitioned table reads its partitions, their partitioned ancestors.
    internal static HashSet<QualifiedName> Touched(SchemaSnapshot schema, IEnumerable<QualifiedName> loaded)
    {
        var touched = new HashSet<QualifiedName>();
        foreach (var name in loaded)
            for (QualifiedName? t = name; t is not null && touched.Add(t.Value); t = schema.FindTable(t.Value)?.PartitionOf) { }
        return touched;
    }
}
