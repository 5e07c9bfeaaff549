namespace FonanaMigration.Engine.Scans;

/// <summary>How a column holds text: a plain string, an array of strings, or strings inside JSON.</summary>
internal enum TextShape { Scalar, Array, Json }

/// <summary>A column that holds text the integrity checks and the media rewrite look into, and SQL to reach each string in it.</summary>
internal sealed class TextColumn
{
    private TextColumn(ColumnSchema column, TextShape shape)
    {
        Column = column;
        Shape = shape;
    }

    public ColumnSchema Column { get; }
    public TextShape Shape { get; }
    public string Name => Column.Name;
    public string Quoted => Identifier.Quote(Column.Name);

    /// <summary>Null for anything that is not text, varchar, char, citext, json or jsonb (or an array of the first four).</summary>
    public static TextColumn? From(ColumnSchema column)
    {
        if (column.IsGenerated) return null;
        var type = column.DataType;
        var isArray = type.EndsWith("[]", StringComparison.Ordinal);
        var element = isArray ? type[..^2] : type;
        if (element is "json" or "jsonb") return isArray ? null : new TextColumn(column, TextShape.Json);
        var isText = element is "text" or "citext" or "character" || element.EndsWith(".citext", StringComparison.Ordinal)
                     || element.StartsWith("character varying", StringComparison.Ordinal) || element.StartsWith("character(", StringComparison.Ordinal);
        if (!isText) return null;
        return new TextColumn(column, isArray ? TextShape.Array : TextShape.Scalar);
    }

    public static IReadOnlyList<TextColumn> Of(TableSchema table) =>
        table.Columns.OrderBy(c => c.Position).Select(From).OfType<TextColumn>().ToList();

    /// <summary>The whole value as text (arrays and JSON in their text form), for patterns that may match anywhere.</summary>
    public string AsText(string alias) => Shape == TextShape.Scalar ? $"{alias}.{Quoted}" : $"{alias}.{Quoted}::text";

    /// <summary>A FROM-clause tail that yields every string of the row aliased <paramref name="alias"/> as column v.</summary>
    public string Strings(string alias) => Shape switch
    {
        TextShape.Scalar => $"CROSS JOIN LATERAL (SELECT {alias}.{Quoted}::text AS v) s",
        TextShape.Array => $"CROSS JOIN LATERAL unnest({alias}.{Quoted}) AS s(v)",
        // strict $.** visits every item once (lax mode would also unwrap arrays and repeat them).
        _ => $"CROSS JOIN LATERAL (SELECT e #>> '{{}}' AS v FROM jsonb_path_query({alias}.{Quoted}::jsonb, 'strict $.**') AS j(e) WHERE jsonb_typeof(e) = 'string') s",
    };

    /// <summary>True when some string of the row matches <paramref name="pattern"/> (an SQL expression of a regex).</summary>
    public string AnyStringMatches(string alias, string pattern) => Shape == TextShape.Scalar
        ? $"{alias}.{Quoted} ~ {pattern}"
        : $"EXISTS (SELECT 1 FROM (SELECT 1) one {Strings(alias)} WHERE s.v ~ {pattern})";
}
