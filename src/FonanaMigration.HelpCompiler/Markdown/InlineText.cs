using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax.Inlines;

namespace FonanaMigration.HelpCompiler.Markdown;

/// <summary>
/// Turns Markdig's inline tree into the plain text that Get-Help prints. Inline code keeps its backticks
/// (PowerShell's own help does the same); links become their text, with the address kept when it is
/// absolute; emphasis markers, backslash escapes, HTML comments and inline HTML tags are dropped.
/// </summary>
internal static class InlineText
{
    // Only real HTML tags: "<string>" or "<CommonParameters>" in prose is PowerShell syntax, which Markdig reads as a tag.
    private static readonly Regex HtmlTag = new(@"</?(?:a|b|br|code|del|div|em|i|kbd|p|s|span|strong|sub|sup|u)(?:\s[^<>]*)?/?>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Help text of one Markdown snippet (its first block), as a paragraph of a page would give.</summary>
    public static string Strip(string markdown)
    {
        var page = MarkdownDocument.Parse(markdown, new Diagnostics("<inline>"));
        return page.Blocks.Count == 0 ? string.Empty : page.Blocks[0].Text;
    }

    /// <summary>The text of <paramref name="inlines"/>; <paramref name="source"/> is the page, for code spans verbatim.</summary>
    public static string Render(ContainerInline? inlines, string source, List<LinkText>? links = null)
    {
        var text = new StringBuilder();
        if (inlines is not null)
        {
            Append(text, inlines, source, links);
        }

        return text.ToString().Trim();
    }

    /// <summary>Removes the HTML tags named above (a "br" becomes a space) and keeps any other angle-bracket text.</summary>
    public static string WithoutTags(string html) =>
        HtmlTag.Replace(html, m => m.Value.StartsWith("<br", StringComparison.OrdinalIgnoreCase) ? " " : string.Empty);

    /// <summary>Help text for one block: paragraphs as rendered, list items keep a marker, tables and code verbatim.</summary>
    public static string BlockText(Block block) => block.Kind switch
    {
        BlockKind.ListItem => block.Marker + " " + block.Text,
        BlockKind.Table or BlockKind.Code => string.Join("\n", block.Lines),
        _ => block.Text,
    };

    public static bool IsAbsolute(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" or "ftp" or "mailto";

    private static void Append(StringBuilder text, ContainerInline container, string source, List<LinkText>? links)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case CodeInline code:
                    // Verbatim, backticks included, as written (Markdig's Content folds the delimiters' padding).
                    text.Append(code.Span.Start >= 0 && code.Span.End < source.Length
                        ? source.Substring(code.Span.Start, code.Span.Length)
                        : new string(code.Delimiter, code.DelimiterCount) + code.Content + new string(code.Delimiter, code.DelimiterCount));
                    break;
                case LinkInline link:
                    AppendLink(text, link, source, links);
                    break;
                case HtmlInline html:
                    if (html.Tag.StartsWith("<!--", StringComparison.Ordinal))
                    {
                        break; // authoring notes, never help text
                    }

                    text.Append(WithoutTags(html.Tag));
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString().Replace('\u00A0', ' '));
                    break;
                case LineBreakInline:
                    text.Append(' '); // lines of a paragraph are joined: Get-Help wraps
                    break;
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case ContainerInline nested: // emphasis and anything else that only wraps text
                    Append(text, nested, source, links);
                    break;
                default:
                    text.Append(inline.ToString());
                    break;
            }
        }
    }

    private static void AppendLink(StringBuilder text, LinkInline link, string source, List<LinkText>? links)
    {
        var label = Render(link, source);
        var target = (link.Url ?? string.Empty).Trim();
        links?.Add(new LinkText(label, target));
        if (link.IsAutoLink || link.IsImage || !IsAbsolute(target) || label.Length == 0 || label == target)
        {
            text.Append(label.Length > 0 ? label : target);
        }
        else
        {
            text.Append(label).Append(" (").Append(target).Append(')');
        }
    }
}
