namespace FonanaMigration.Engine.Schema;

/// <summary>SQL identifier quoting, the same rules as PostgreSQL's quote_ident.</summary>
public static class Identifier
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>Quotes only names that would not survive unquoted (capitals, spaces, quotes, leading digits).</summary>
    public static string QuoteIfNeeded(string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
                    && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || c == '$');
        return plain && !ReservedWords.Contains(name) ? name : Quote(name);
    }

    // The reserved key words that cannot be table or column names unquoted (a short list is enough for display).
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate",
        "column", "constraint", "create", "current_date", "current_role", "current_time", "current_timestamp", "current_user",
        "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from",
        "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime",
        "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning",
        "select", "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user",
        "using", "variadic", "when", "where", "window", "with",
    };
}
