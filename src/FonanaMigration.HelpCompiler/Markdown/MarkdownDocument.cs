using System.Text.RegularExpressions;

namespace FonanaMigration.HelpCompiler.Markdown;

internal enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    Table,
    Code,
}

/// <summary>
/// One block of a page. Only the subset of CommonMark that PlatyPS pages use is recognised:
/// ATX headings, fenced code, paragraphs, list items, pipe tables, block quotes and HTML comments.
/// </summary>
internal sealed class Block
{
    public required BlockKind Kind { get; init; }

    /// <summary>1-based line of the block's first line (the opening fence for code).</summary>
    public required int Line { get; init; }

    /// <summary>Heading level (1-6); 0 for other blocks.</summary>
    public int Level { get; init; }

    /// <summary>Heading text, or the list marker ("-" or "1.") for list items.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Info string of a code fence ("powershell", "yaml", ...).</summary>
    public string Info { get; init; } = string.Empty;

    /// <summary>Raw lines: trimmed for prose, verbatim (minus fence indentation) for code.</summary>
    public List<string> Lines { get; } = new();

    public override string ToString() => $"{Kind}@{Line}: {(Kind == BlockKind.Heading ? Text : string.Join(" | ", Lines))}";
}

internal sealed class MarkdownDocument
{
    private static readonly Regex FenceOpen = new(@"^( {0,3})(`{3,}|~{3,})\s*(.*?)\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex Heading = new(@"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$", RegexOptions.CultureInvariant);
    private static readonly Regex ClosingHashes = new(@"(?:^|[ \t]+)#+$", RegexOptions.CultureInvariant);
    private static readonly Regex ListItem = new(@"^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+(.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex ThematicBreak = new(@"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", RegexOptions.CultureInvariant);
    private static readonly Regex FrontMatterPair = new(@"^([A-Za-z][^:]*?)\s*:\s*(.*?)\s*$", RegexOptions.CultureInvariant);

    private MarkdownDocument(Dictionary<string, string> frontMatter, List<Block> blocks, int lineCount)
    {
        FrontMatter = frontMatter;
        Blocks = blocks;
        LineCount = lineCount;
    }

    /// <summary>Front matter keys (case-insensitive) with unquoted values; empty when the page has none.</summary>
    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public IReadOnlyList<Block> Blocks { get; }

    public int LineCount { get; }

    public static string[] SplitLines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimStart('\uFEFF').Split('\n');

    public static MarkdownDocument Parse(string text, Diagnostics diagnostics)
    {
        var lines = SplitLines(text);
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var blocks = new List<Block>();
        int i = 0;

        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            int close = -1;
            for (int j = 1; j < lines.Length; j++)
            {
                var t = lines[j].TrimEnd();
                if (t == "---" || t == "...")
                {
                    close = j;
                    break;
                }
            }

            if (close < 0)
            {
                diagnostics.Error(1, "front matter starting with '---' is never closed by a '---' line");
                return new MarkdownDocument(frontMatter, blocks, lines.Length);
            }

            for (int j = 1; j < close; j++)
            {
                // Only top-level "key: value" pairs matter; nested YAML in front matter is ignored.
                if (lines[j].Length == 0 || char.IsWhiteSpace(lines[j][0]) || lines[j].StartsWith('-') || lines[j].StartsWith('#'))
                {
                    continue;
                }

                var m = FrontMatterPair.Match(lines[j]);
                if (m.Success)
                {
                    frontMatter[m.Groups[1].Value.Trim()] = Unquote(m.Groups[2].Value);
                }
            }

            i = close + 1;
        }

        Block? open = null; // paragraph, list item or table being accumulated
        void Flush()
        {
            if (open is not null)
            {
                blocks.Add(open);
                open = null;
            }
        }

        while (i < lines.Length)
        {
            var line = lines[i];
            int lineNo = i + 1;

            var fence = FenceOpen.Match(line);
            if (fence.Success && !(fence.Groups[2].Value[0] == '`' && fence.Groups[3].Value.Contains('`')))
            {
                Flush();
                int indent = fence.Groups[1].Length;
                char fenceChar = fence.Groups[2].Value[0];
                int fenceLen = fence.Groups[2].Length;
                var info = fence.Groups[3].Value;
                var code = new Block { Kind = BlockKind.Code, Line = lineNo, Info = info.Split(' ', 2)[0] };
                var closer = new Regex("^ {0,3}" + Regex.Escape(fenceChar.ToString()) + "{" + fenceLen + @",}[ \t]*$", RegexOptions.CultureInvariant);
                bool closed = false;
                i++;
                while (i < lines.Length)
                {
                    if (closer.IsMatch(lines[i]))
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    code.Lines.Add(RemoveIndent(lines[i], indent));
                    i++;
                }

                if (!closed)
                {
                    diagnostics.Error(lineNo, $"code block opened with {fence.Groups[2].Value} is never closed");
                }

                blocks.Add(code);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
                i++;
                continue;
            }

            if (line.TrimStart().StartsWith("<!--", StringComparison.Ordinal))
            {
                // HTML comments are authoring notes, never help text.
                Flush();
                while (i < lines.Length && !lines[i].Contains("-->", StringComparison.Ordinal))
                {
                    i++;
                }

                if (i >= lines.Length)
                {
                    diagnostics.Error(lineNo, "HTML comment '<!--' is never closed by '-->'");
                }

                i++;
                continue;
            }

            var heading = Heading.Match(line);
            if (heading.Success)
            {
                Flush();
                var headingText = ClosingHashes.Replace(heading.Groups[2].Value, string.Empty).Trim();
                blocks.Add(new Block { Kind = BlockKind.Heading, Line = lineNo, Level = heading.Groups[1].Length, Text = headingText });
                i++;
                continue;
            }

            if (ThematicBreak.IsMatch(line))
            {
                Flush();
                i++;
                continue;
            }

            var content = line.Trim();
            if (content.StartsWith('>'))
            {
                content = content.TrimStart('>').Trim();
            }

            var item = ListItem.Match(line);
            if (item.Success)
            {
                Flush();
                var marker = char.IsDigit(item.Groups[1].Value[0]) ? item.Groups[1].Value.TrimEnd(')').TrimEnd('.') + "." : "-";
                open = new Block { Kind = BlockKind.ListItem, Line = lineNo, Text = marker };
                open.Lines.Add(item.Groups[2].Value.Trim());
                i++;
                continue;
            }

            if (content.StartsWith('|'))
            {
                if (open is null || open.Kind != BlockKind.Table)
                {
                    Flush();
                    open = new Block { Kind = BlockKind.Table, Line = lineNo };
                }

                open.Lines.Add(content);
                i++;
                continue;
            }

            if (open is null || open.Kind == BlockKind.Table)
            {
                Flush();
                open = new Block { Kind = BlockKind.Paragraph, Line = lineNo };
            }

            // Continuation of a paragraph or of a list item (lazy or indented).
            open.Lines.Add(content);
            i++;
        }

        Flush();
        return new MarkdownDocument(frontMatter, blocks, lines.Length);
    }

    internal static string Unquote(string value)
    {
        value = value.Trim();
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        return value;
    }

    private static string RemoveIndent(string line, int indent)
    {
        int k = 0;
        while (k < indent && k < line.Length && line[k] == ' ')
        {
            k++;
        }

        return line[k..].TrimEnd();
    }
}
