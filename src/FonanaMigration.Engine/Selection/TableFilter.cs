using System.Text.RegularExpressions;

namespace FonanaMigration.Engine.Selection;

/// <summary>
/// Which tables take part, from -Table / -ExcludeTable wildcard patterns (* ? [abc]). A pattern without a dot matches
/// the table name in any schema; with a dot it matches schema.table. Prisma's migration history is schema history,
/// not data, so it is left out unless a pattern names it exactly.
/// </summary>
public sealed class TableFilter
{
    private readonly IReadOnlyList<Regex> _include;
    private readonly IReadOnlyList<Regex> _exclude;
    private readonly IReadOnlyList<string> _includePatterns;
    private readonly IReadOnlyList<string> _excludePatterns;
    private readonly string? _schema;

    public TableFilter(IEnumerable<string>? include = null, IEnumerable<string>? exclude = null)
        : this(include, exclude, null)
    {
    }

    private TableFilter(IEnumerable<string>? include, IEnumerable<string>? exclude, string? schema)
    {
        _includePatterns = (include ?? Array.Empty<string>()).ToList();
        _include = _includePatterns.Select(ToRegex).ToList();
        _excludePatterns = (exclude ?? Array.Empty<string>()).ToList();
        _exclude = _excludePatterns.Select(ToRegex).ToList();
        _schema = schema;
    }

    /// <summary>
    /// This filter for a connection that names a schema (Prisma's ?schema=): with no include pattern, only that
    /// schema's tables (exact name); explicit -Table patterns win, as the user named the tables.
    /// </summary>
    public TableFilter ForSchema(string? schema) =>
        schema is null || _includePatterns.Count > 0 ? this : new TableFilter(_includePatterns, _excludePatterns, schema);

    public static TableFilter All { get; } = new();

    public bool Includes(QualifiedName table)
    {
        if (SchemaSnapshot.IsPrismaHistory(table) && !_includePatterns.Any(p => p == table.Name || p == $"{table.Schema}.{table.Name}"))
            return false;
        if (_schema is not null && !string.Equals(table.Schema, _schema, StringComparison.Ordinal)) return false;
        if (_include.Count > 0 && !_include.Any(r => Matches(r, table))) return false;
        return !_exclude.Any(r => Matches(r, table));
    }

    /// <summary>Include patterns that matched none of <paramref name="tables"/>: a typo should be an error, not an empty export.</summary>
    public IEnumerable<string> UnmatchedPatterns(IEnumerable<QualifiedName> tables)
    {
        var list = tables.ToList();
        return _includePatterns.Where((p, i) => !list.Any(t => Matches(_include[i], t)));
    }

    private static bool Matches(Regex pattern, QualifiedName table) =>
        pattern.IsMatch(table.Name) || pattern.IsMatch($"{table.Schema}.{table.Name}");

    internal static Regex ToRegex(string pattern)
    {
        var body = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': body.Append(".*"); break;
                case '?': body.Append('.'); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { body.Append(@"\["); break; }
                    body.Append('[').Append(Regex.Escape(pattern[(i + 1)..close]).Replace(@"\-", "-")).Append(']');
                    i = close;
                    break;
                default: body.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(body.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }
}
