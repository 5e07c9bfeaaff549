using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using MarkdigBlock = Markdig.Syntax.Block;

namespace FonanaMigration.HelpCompiler.Markdown;

/// <summary>
/// A page as Markdig reads it (CommonMark, pipe tables, YAML front matter), flattened into the blocks the page
/// readers walk: headings, paragraphs, list items (one each), tables and code. HTML comments are authoring notes and
/// thematic breaks are layout; neither reaches the help.
/// </summary>
internal sealed class MarkdownDocument
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();

    private MarkdownDocument(Dictionary<string, string> frontMatter, List<Block> blocks)
    {
        FrontMatter = frontMatter;
        Blocks = blocks;
    }

    /// <summary>Front matter keys (case-insensitive) with their values; empty when the page has none.</summary>
    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public IReadOnlyList<Block> Blocks { get; }

    public static MarkdownDocument Parse(string text, Diagnostics diagnostics)
    {
        // Markdig's spans index into the text it was given; code spans are copied from it verbatim.
        var source = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimStart('\uFEFF');
        var document = Markdig.Markdown.Parse(source, Pipeline);
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var blocks = new List<Block>();

        var yaml = document.FirstOrDefault() as YamlFrontMatterBlock;
        if (FirstLine(source).TrimEnd() == "---" && FrontMatterNeverCloses(source))
        {
            // Without its closing line the metadata would be read as a page's prose; the author meant metadata.
            diagnostics.Error(1, "front matter starting with '---' is never closed by a '---' line");
            return new MarkdownDocument(frontMatter, blocks);
        }

        if (yaml is not null)
        {
            // yaml.Line is the opening '---', 0-based: its first key is on page line yaml.Line + 2.
            frontMatter = Markdown.FrontMatter.Read(yaml.Lines.ToString(), yaml.Line + 2, diagnostics);
        }

        foreach (var block in document)
        {
            Flatten(block, source, blocks, diagnostics);
        }

        return new MarkdownDocument(frontMatter, blocks);
    }

    private static void Flatten(MarkdigBlock block, string source, List<Block> blocks, Diagnostics diagnostics)
    {
        int line = block.Line + 1;
        switch (block)
        {
            case YamlFrontMatterBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup or BlankLineBlock:
                return;
            case HeadingBlock heading:
                blocks.Add(new Block { Kind = BlockKind.Heading, Line = line, Level = heading.Level, Text = InlineText.Render(heading.Inline, source) });
                return;
            case ParagraphBlock paragraph:
                blocks.Add(Prose(BlockKind.Paragraph, paragraph, string.Empty, source));
                return;
            case FencedCodeBlock fenced:
                if (fenced.ClosingFencedCharCount == 0)
                {
                    diagnostics.Error(line, $"code block opened with {new string(fenced.FencedChar, fenced.OpeningFencedCharCount)} is never closed");
                }

                blocks.Add(Code(fenced, fenced.Info ?? string.Empty, line));
                return;
            case CodeBlock indented:
                blocks.Add(Code(indented, string.Empty, line));
                return;
            case ListBlock list:
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    FlattenListItem(list, item, source, blocks, diagnostics);
                }

                return;
            case Table table:
                var rows = new Block { Kind = BlockKind.Table, Line = line };
                rows.Lines.AddRange(source.Substring(table.Span.Start, Math.Min(table.Span.Length, source.Length - table.Span.Start))
                    .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
                blocks.Add(rows);
                return;
            case HtmlBlock html:
                var htmlText = html.Lines.ToString();
                if (html.Type == HtmlBlockType.Comment)
                {
                    if (!htmlText.Contains("-->", StringComparison.Ordinal))
                    {
                        diagnostics.Error(line, "HTML comment '<!--' is never closed by '-->'");
                    }

                    return; // authoring notes, never help text
                }

                var lines = htmlText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
                blocks.Add(new Block { Kind = BlockKind.Paragraph, Line = line, Text = InlineText.WithoutTags(string.Join(' ', lines)).Trim() });
                return;
            case ContainerBlock container: // block quotes and anything else that only holds blocks
                foreach (var child in container)
                {
                    Flatten(child, source, blocks, diagnostics);
                }

                return;
        }
    }

    /// <summary>A list item's first paragraph is the item; what follows it in the item becomes blocks of its own.</summary>
    private static void FlattenListItem(ListBlock list, ListItemBlock item, string source, List<Block> blocks, Diagnostics diagnostics)
    {
        var marker = list.IsOrdered ? item.Order.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." : "-";
        var rest = item.AsEnumerable();
        if (item.FirstOrDefault() is ParagraphBlock first)
        {
            blocks.Add(Prose(BlockKind.ListItem, first, marker, source, item.Line + 1));
            rest = rest.Skip(1);
        }
        else
        {
            blocks.Add(new Block { Kind = BlockKind.ListItem, Line = item.Line + 1, Marker = marker });
        }

        foreach (var child in rest)
        {
            Flatten(child, source, blocks, diagnostics);
        }
    }

    private static Block Prose(BlockKind kind, ParagraphBlock paragraph, string marker, string source, int? line = null)
    {
        var links = new List<LinkText>();
        var block = new Block { Kind = kind, Line = line ?? paragraph.Line + 1, Marker = marker, Text = InlineText.Render(paragraph.Inline, source, links) };
        block.Links.AddRange(links);
        return block;
    }

    private static Block Code(LeafBlock code, string info, int line)
    {
        var block = new Block { Kind = BlockKind.Code, Line = line, Info = info };
        foreach (var codeLine in code.Lines.Lines.Take(code.Lines.Count))
        {
            block.Lines.Add(codeLine.Slice.ToString().TrimEnd());
        }

        return block;
    }

    private static string FirstLine(string source)
    {
        int end = source.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? source : source[..end];
    }

    private static bool FrontMatterNeverCloses(string source) =>
        !source.Split('\n').Skip(1).Any(l => l.TrimEnd() is "---" or "...");
}
