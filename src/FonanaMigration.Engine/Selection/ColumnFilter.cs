using System.Text.RegularExpressions;

namespace FonanaMigration.Engine.Selection;

/// <summary>
/// Which columns take part, from -Column wildcard patterns: a pattern matches the column name ("*Url"), table.column
/// ("posts.mediaUrl") or schema.table.column, with the same wildcards as <see cref="TableFilter"/>. No pattern: every column.
/// </summary>
public sealed class ColumnFilter
{
    private readonly IReadOnlyList<string> _patterns;
    private readonly IReadOnlyList<Regex> _regexes;

    public ColumnFilter(IEnumerable<string>? patterns = null)
    {
        _patterns = (patterns ?? Array.Empty<string>()).ToList();
        _regexes = _patterns.Select(TableFilter.ToRegex).ToList();
    }

    public static ColumnFilter All { get; } = new();

    public bool Includes(QualifiedName table, string column) => _regexes.Count == 0 || _regexes.Any(r => Matches(r, table, column));

    /// <summary>Patterns that matched none of the columns: a typo should be an error, not a silent no-op.</summary>
    public IEnumerable<string> UnmatchedPatterns(IEnumerable<(QualifiedName Table, string Column)> columns)
    {
        var list = columns.ToList();
        return _patterns.Where((_, i) => !list.Any(c => Matches(_regexes[i], c.Table, c.Column)));
    }

    private static bool Matches(Regex pattern, QualifiedName table, string column) =>
        pattern.IsMatch(column) || pattern.IsMatch($"{table.Name}.{column}") || pattern.IsMatch($"{table.Schema}.{table.Name}.{column}");
}
