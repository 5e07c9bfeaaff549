using Microsoft.Extensions.Logging;
using Npgsql;
using FonanaMigration.Engine.Selection;


namespace FonanaMigration.Engine.Verification;

/// <summary>
/// Assert-FonanaCounts' view of materialized views: each populated view of the expected side that reads a compared
/// table, counted (and checksummed, order-independently, so no stable order or key is needed) on the target.
/// </summary>
internal static class MaterializedViewComparison
{
    private static readonly EventId Counted = EngineEvents.MaterializedViewCounted;

    /// <summary>The views worth comparing: populated on the expected side and reading at least one included table.</summary>
    public static IEnumerable<MaterializedViewSchema> Selected(SchemaSnapshot schema, TableFilter tables) =>
        (schema.MaterializedViews ?? new()).Where(v => v.Populated && v.DependsOnTables.Any(tables.Includes));

    public static async Task<RowCountComparison> CompareAsync(NpgsqlConnection connection, MaterializedViewSchema expected, bool checksum, RunContext context,
        ChecksumAlgorithm? algorithm = null)
    {
        var ct = context.CancellationToken;
        var name = expected.QualifiedName.ToString();
        await using (var cmd = new NpgsqlCommand("SELECT relispopulated FROM pg_class WHERE relkind = 'm' AND oid = to_regclass(@name)", connection))
        {
            cmd.Parameters.AddWithValue("name", expected.QualifiedName.Sql);
            var populated = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (populated is not bool isPopulated)
                return new RowCountComparison { Name = name, Kind = "MaterializedView", Expected = expected.Rows, Note = "The target has no such materialized view." };
            if (!isPopulated)
                return new RowCountComparison { Name = name, Kind = "MaterializedView", Expected = expected.Rows, Note = "Not populated on the target (REFRESH MATERIALIZED VIEW)." };
        }

        var measured = checksum && expected.ContentChecksum is not null
            ? await ContentChecksum.ComputeAsync(connection, expected.QualifiedName, expected.Columns, algorithm ?? ChecksumAlgorithm.RowText, ct).ConfigureAwait(false)
            : new ContentChecksum(await ContentChecksum.CountAsync(connection, expected.QualifiedName, ct).ConfigureAwait(false), "");
        context.Logger.LogInformation(Counted, "{View}: expected {Expected}, found {Actual}.", name, expected.Rows, measured.Rows);
        var withChecksum = checksum && expected.ContentChecksum is not null;
        return new RowCountComparison
        {
            Name = name, Kind = "MaterializedView", Expected = expected.Rows, Actual = measured.Rows,
            ExpectedChecksum = withChecksum ? expected.ContentChecksum : null, ActualChecksum = withChecksum ? measured.Checksum : null,
            ChecksumAlgorithm = withChecksum ? measured.Algorithm.Name : null,
            Note = withChecksum && measured.Rows == expected.Rows && measured.Checksum != expected.ContentChecksum ? "Same number of rows, different content." : null,
        };
    }
}
