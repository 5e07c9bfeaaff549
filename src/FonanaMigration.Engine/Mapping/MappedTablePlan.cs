
using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Streams;
namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// How one target table is filled under a migration map: from a source table (each target column from the same-named
/// source column, an enum label CASE or the map's expression) or from the map's query. Produces the one SELECT that
/// both moves the rows and, evaluated in the source's snapshot, gives the checksum the target must show.
/// </summary>
internal sealed class MappedTablePlan
{
    public required TableSchema Target { get; init; }
    /// <summary>The source table the rows come from; null when the map fills the table From a query.</summary>
    public TableSchema? Source { get; init; }
    public string? From { get; init; }
    /// <summary>Target column -> SQL over the source row (alias t) or the From query's row (alias f), in target column order.</summary>
    public List<(string Column, string Expression)> Columns { get; set; } = new();
    /// <summary>False when the rows can travel exactly as without a map (same table, same columns, nothing rewritten).</summary>
    public bool Rewritten { get; init; }

    /// <summary>
    /// The mapped rows: <paramref name="sourceRelation"/> replaces the source table (Import reads a staged temporary copy).
    /// With <paramref name="castToTarget"/>, every value is cast to its target column's type (the target server has them).
    /// </summary>
    public string SelectSql(string? sourceRelation = null, bool castToTarget = false)
    {
        var values = Columns.Select(c =>
        {
            var type = Target.FindColumn(c.Column)!.DataType;
            return castToTarget ? $"({c.Expression})::{type} AS {Identifier.Quote(c.Column)}" : $"{c.Expression} AS {Identifier.Quote(c.Column)}";
        });
        var list = Columns.Count == 0 ? "" : string.Join(", ", values);
        return From is not null
            ? $"SELECT {list} FROM ({From}) f"
            : $"SELECT {list} FROM ONLY {sourceRelation ?? Source!.QualifiedName.Sql} t";
    }

    /// <summary>The TableContent the load sees for a rewritten plan: the target's name and the mapped columns, as COPY text.</summary>
    public TableContent ToArchivedTable(TableContent? source) => new()
    {
        Schema = Target.Schema, Name = Target.Name, Columns = Columns.Select(c => c.Column).ToList(),
        DataFormat = CopyFormat.Text, Rows = source?.Rows ?? 0,
        // Sequences only follow columns whose values move unchanged under the same name.
        Sequences = source?.Sequences.Where(s => Columns.Any(c => c.Column == s.Column && c.Expression == "t." + Identifier.Quote(s.Column))).ToList() ?? new(),
    };
}
