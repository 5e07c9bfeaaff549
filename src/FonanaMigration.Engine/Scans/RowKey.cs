namespace FonanaMigration.Engine.Scans;

/// <summary>
/// How a finding names an offending row: its primary key in text form ("(a,b)" when composite). A table without one
/// uses a unique constraint over NOT NULL columns, and failing that the row's physical address (ctid), which is
/// enough to look at the row now but changes when the row is updated.
/// </summary>
internal sealed class RowKey
{
    private RowKey(IReadOnlyList<string> columns) => Columns = columns;

    /// <summary>The key columns; empty when the key is the ctid.</summary>
    public IReadOnlyList<string> Columns { get; }

    public static RowKey For(TableSchema table)
    {
        var primary = table.Constraints.FirstOrDefault(c => c.Type == "p");
        if (primary is not null) return new RowKey(primary.Columns);
        var unique = table.Constraints.Where(c => c.Type == "u" && c.Columns.All(n => table.FindColumn(n)?.NotNull == true))
            .OrderBy(c => c.Columns.Count).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return new RowKey(unique?.Columns ?? Array.Empty<string>());
    }

    /// <summary>A text expression over the row aliased <paramref name="alias"/>.</summary>
    public string Sql(string alias) => Columns.Count switch
    {
        0 => $"{alias}.ctid::text",
        1 => $"{alias}.{Identifier.Quote(Columns[0])}::text",
        _ => "ROW(" + string.Join(", ", Columns.Select(c => $"{alias}.{Identifier.Quote(c)}")) + ")::text",
    };

    public override string ToString() => Columns.Count == 0 ? "ctid" : string.Join(", ", Columns);
}
