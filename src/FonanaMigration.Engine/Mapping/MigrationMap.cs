
namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// A migration map: how rows of a source whose schema drifted reach a target whose schema differs. Keys are
/// <c>schema.table</c> or <c>schema.table.column</c>, exactly as PostgreSQL spells the names (no quotes needed).
/// Read from a plain dictionary by <see cref="MigrationMapReader"/>; checked by <see cref="MigrationMapValidator"/>.
/// </summary>
public sealed class MigrationMap
{
    /// <summary>Target columns filled from an SQL expression over the source row, and source columns dropped by name.</summary>
    public IReadOnlyDictionary<MapKey, ColumnMapping> Columns { get; init; } = new Dictionary<MapKey, ColumnMapping>();
    /// <summary>Target tables filled from a query, source tables dropped or renamed.</summary>
    public IReadOnlyDictionary<MapKey, TableMapping> Tables { get; init; } = new Dictionary<MapKey, TableMapping>();
    /// <summary>Per enum type (schema.type): source label -> what becomes of rows holding it.</summary>
    public IReadOnlyDictionary<MapKey, IReadOnlyDictionary<string, LabelMapping>> EnumLabels { get; init; } = new Dictionary<MapKey, IReadOnlyDictionary<string, LabelMapping>>();

    /// <summary>Entries still marked for a person to decide (New-FonanaMigrationMap writes them): the map is refused until none is left.</summary>
    public IEnumerable<string> Undecided =>
        Columns.Where(c => c.Value.Decide is not null).Select(c => $"Columns['{c.Key}']: {c.Value.Decide}")
            .Concat(Tables.Where(t => t.Value.Decide is not null).Select(t => $"Tables['{t.Key}']: {t.Value.Decide}"))
            .Concat(EnumLabels.SelectMany(e => e.Value.Where(l => l.Value.Decide is not null).Select(l => $"EnumLabels['{e.Key}']['{l.Key}']: {l.Value.Decide}")));
}

/// <summary><c>'"imageAspectRatio"::text'</c> (fill the target column), <c>@{ Drop = $true }</c> (a source column with no place), or a pending decision.</summary>
public sealed record ColumnMapping(string? Expression, bool Drop, string? Decide = null);

/// <summary><c>@{ From = 'SELECT …' }</c>, <c>@{ Drop = $true }</c>, <c>@{ Target = 'schema.name' }</c>, or a pending decision.</summary>
public sealed record TableMapping(string? From, bool Drop, MapKey? Target, string? Decide = null);

/// <summary><c>'NEWLABEL'</c> (rows holding the source label get this target label), <c>@{ RefuseRows = $true }</c>, or a pending decision.</summary>
public sealed record LabelMapping(string? To, bool RefuseRows, string? Decide = null);

/// <summary>A map key: schema, object name and, for columns, the column. Spelled as in the map: <c>public.posts.imageAspectRatio</c>.</summary>
public readonly record struct MapKey(string Schema, string Name, string? Column = null)
{
    public QualifiedName Table => new(Schema, Name);

    /// <summary>Splits on dots outside double quotes; quotes are optional and removed ("a""b" stands for a"b).</summary>
    public static bool TryParse(string text, int parts, out MapKey key)
    {
        key = default;
        var found = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                if (quoted && i + 1 < text.Length && text[i + 1] == '"') { current.Append('"'); i++; }
                else quoted = !quoted;
            }
            else if (c == '.' && !quoted) { found.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        found.Add(current.ToString());
        if (quoted || found.Count != parts || found.Any(p => p.Length == 0)) return false;
        key = new MapKey(found[0], found[1], parts == 3 ? found[2] : null);
        return true;
    }

    public override string ToString() => Column is null ? $"{Schema}.{Name}" : $"{Schema}.{Name}.{Column}";
}
