using System.Text;

namespace FonanaMigration.Engine.Scans;

/// <summary>Building blocks for PostgreSQL's advanced regular expressions (the `~` operator), written so .NET's Regex reads them the same way.</summary>
internal static class PostgresRegex
{
    /// <summary>Matches <paramref name="text"/> literally: every ASCII character that is not a letter or digit is escaped.</summary>
    public static string Escape(string text)
    {
        var result = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (c < 128 && !char.IsAsciiLetterOrDigit(c)) result.Append('\\');
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>A bracket expression of exactly these characters, each as a \uXXXX escape, so the pattern itself is plain ASCII.</summary>
    public static string CharacterClass(IEnumerable<char> characters) =>
        "[" + string.Concat(characters.Distinct().OrderBy(c => c).Select(Char)) + "]";

    /// <summary>One character as a \uXXXX escape.</summary>
    public static string Char(char c) => $"\\u{(int)c:X4}";

    public static string Sequence(string text) => string.Concat(text.Select(Char));
}
