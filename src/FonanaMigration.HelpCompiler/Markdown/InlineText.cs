using System.Text;
using System.Text.RegularExpressions;

namespace FonanaMigration.HelpCompiler.Markdown;

/// <summary>
/// Turns Markdown prose into the plain text that Get-Help prints. Inline code keeps its backticks
/// (PowerShell's own help does the same); links become their text, with the address kept when it is
/// absolute; emphasis markers, backslash escapes and inline HTML tags are dropped.
/// </summary>
internal static class InlineText
{
    private static readonly Regex CodeSpan = new(@"(`+)(.+?)\1", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex Link = new(@"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+""[^""]*"")?\s*\)", RegexOptions.CultureInvariant);
    private static readonly Regex AutoLink = new(@"<((?:https?|ftp|mailto):[^>\s]+)>", RegexOptions.CultureInvariant);
    // Only real HTML tags: "<string>" or "<CommonParameters>" in prose is PowerShell syntax, not markup.
    private static readonly Regex HtmlTag = new(@"</?(?:a|b|br|code|del|div|em|i|kbd|p|s|span|strong|sub|sup|u)(?:\s[^<>]*)?/?>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex StrongStar = new(@"\*\*(?=\S)(.+?)(?<=\S)\*\*", RegexOptions.CultureInvariant);
    private static readonly Regex StrongUnderscore = new(@"(?<![\w\\])__(?=\S)(.+?)(?<=\S)__(?!\w)", RegexOptions.CultureInvariant);
    private static readonly Regex EmStar = new(@"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])", RegexOptions.CultureInvariant);
    private static readonly Regex EmUnderscore = new(@"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)", RegexOptions.CultureInvariant);
    private static readonly Regex Escape = new(@"\\([\\`*_{}\[\]()#+\-.!|<>~""'])", RegexOptions.CultureInvariant);

    /// <summary>Joins the lines of one paragraph with single spaces and strips inline markup.</summary>
    public static string Paragraph(IEnumerable<string> lines) => Strip(string.Join(' ', lines.Select(l => l.Trim())).Trim());

    public static string Strip(string text)
    {
        var result = new StringBuilder(text.Length);
        int last = 0;
        foreach (Match span in CodeSpan.Matches(text))
        {
            result.Append(StripProse(text[last..span.Index]));
            result.Append(span.Value); // verbatim, backticks included
            last = span.Index + span.Length;
        }

        result.Append(StripProse(text[last..]));
        return result.ToString();
    }

    private static string StripProse(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        text = Link.Replace(text, m =>
        {
            var label = m.Groups[2].Value.Trim();
            var target = m.Groups[3].Value.Trim();
            if (m.Groups[1].Value == "!" || !IsAbsolute(target) || label.Length == 0 || label == target)
            {
                return label.Length > 0 ? label : target;
            }

            return $"{label} ({target})";
        });
        text = AutoLink.Replace(text, "$1");
        text = HtmlTag.Replace(text, m => m.Value.StartsWith("<br", StringComparison.OrdinalIgnoreCase) ? " " : string.Empty);
        text = StrongStar.Replace(text, "$1");
        text = StrongUnderscore.Replace(text, "$1");
        text = EmStar.Replace(text, "$1");
        text = EmUnderscore.Replace(text, "$1");
        text = Escape.Replace(text, "$1");
        text = text.Replace("&nbsp;", " ", StringComparison.Ordinal)
                   .Replace("&lt;", "<", StringComparison.Ordinal)
                   .Replace("&gt;", ">", StringComparison.Ordinal)
                   .Replace("&amp;", "&", StringComparison.Ordinal);
        return text;
    }

    public static bool IsAbsolute(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" or "ftp" or "mailto";

    /// <summary>Help text for one prose block: paragraphs joined, list items keep a marker, tables and code verbatim.</summary>
    public static string BlockText(Block block) => block.Kind switch
    {
        BlockKind.Paragraph => Paragraph(block.Lines),
        BlockKind.ListItem => block.Text + " " + Paragraph(block.Lines),
        BlockKind.Table => string.Join("\n", block.Lines),
        BlockKind.Code => string.Join("\n", block.Lines),
        BlockKind.Heading => Strip(block.Text),
        _ => string.Empty,
    };
}
