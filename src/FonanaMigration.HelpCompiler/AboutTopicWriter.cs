using System.Text;
using FonanaMigration.HelpCompiler.Markdown;

namespace FonanaMigration.HelpCompiler;

/// <summary>A conceptual help topic ready to be written as "&lt;Name&gt;.help.txt".</summary>
internal sealed record AboutTopic(string Name, string Text, string SourcePath)
{
    public string FileName => Name + ".help.txt";
}

/// <summary>
/// Converts an about_ page or the module page into the plain-text layout Get-Help expects of
/// about_*.help.txt files:
/// <code>
/// TOPIC
///     about_Name
///
/// SHORT DESCRIPTION
///     One line (Get-Help takes line 5 as the topic's synopsis)
///
/// LONG DESCRIPTION
///     ...
/// </code>
/// "##" headings become upper-case headings at column 0, "###" and deeper headings are indented four spaces,
/// prose is indented four spaces (eight under a "###"), one paragraph per line: nothing is wrapped.
/// </summary>
internal static class AboutTopicWriter
{
    private const string Indent = "    ";

    /// <summary>An about_ page: "# about_Name", "## Short Description", "## Long Description", more "##" sections.</summary>
    public static AboutTopic? FromAboutPage(MarkdownDocument document, string topicName, Diagnostics diagnostics)
    {
        var title = document.Blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1);
        if (title is null)
        {
            diagnostics.Error(1, $"about page has no '# {topicName}' title heading");
            return null;
        }

        if (!string.Equals(title.Text.Trim(), topicName, StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Error(title.Line, $"title '# {title.Text}' does not match the file name '{topicName}.md'");
        }

        var (_, sections) = Sections.Split(document.Blocks.SkipWhile(b => !ReferenceEquals(b, title)).Skip(1), 2);
        var shortDescription = sections.FirstOrDefault(s => Normalize(s.Title) == "SHORT DESCRIPTION");
        if (shortDescription is null || Prose(shortDescription.Body).Length == 0)
        {
            diagnostics.Error(shortDescription?.Heading.Line ?? title.Line, "about page needs a non-empty '## Short Description' section (Get-Help shows it as the topic's synopsis)");
            return null;
        }

        if (!ReferenceEquals(sections[0], shortDescription))
        {
            diagnostics.Error(sections[0].Heading.Line, "'## Short Description' must be the first section of an about page");
        }

        if (!sections.Any(s => Normalize(s.Title) == "LONG DESCRIPTION"))
        {
            diagnostics.Error(title.Line, "about page has no '## Long Description' section");
        }

        CmdletPageParser.ReportPlaceholders(document, diagnostics);
        var text = new StringBuilder();
        Header(text, topicName, Prose(shortDescription.Body));
        foreach (var section in sections.Where(s => !ReferenceEquals(s, shortDescription)))
        {
            WriteSection(text, Normalize(section.Title), section.Body);
        }

        return diagnostics.HasErrors ? null : new AboutTopic(topicName, text.ToString(), diagnostics.Path);
    }

    /// <summary>The module page ("document type: module") becomes about_&lt;ModuleName&gt;.</summary>
    public static AboutTopic? FromModulePage(MarkdownDocument document, Diagnostics diagnostics)
    {
        var title = document.Blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading && b.Level == 1);
        document.FrontMatter.TryGetValue("Module Name", out var moduleName);
        if (string.IsNullOrWhiteSpace(moduleName) && title is not null)
        {
            moduleName = title.Text.Trim();
            if (moduleName.EndsWith(" Module", StringComparison.OrdinalIgnoreCase))
            {
                moduleName = moduleName[..^" Module".Length].Trim();
            }
        }

        if (string.IsNullOrWhiteSpace(moduleName) || moduleName.Contains(' '))
        {
            diagnostics.Error(title?.Line ?? 1, "module page needs 'Module Name:' in its front matter");
            return null;
        }

        var body = title is null ? document.Blocks : document.Blocks.SkipWhile(b => !ReferenceEquals(b, title)).Skip(1);
        var (_, sections) = Sections.Split(body, 2);
        var description = sections.FirstOrDefault(s => Normalize(s.Title) == "DESCRIPTION");
        var paragraphs = description?.Body.Where(b => b.Kind != BlockKind.Heading).ToList() ?? new List<Block>();
        if (description is null || paragraphs.Count == 0)
        {
            diagnostics.Error(description?.Heading.Line ?? title?.Line ?? 1, "module page needs a non-empty '## Description' section");
            return null;
        }

        CmdletPageParser.ReportPlaceholders(document, diagnostics);
        if (diagnostics.HasErrors)
        {
            return null;
        }

        var topic = "about_" + moduleName;
        var text = new StringBuilder();
        Header(text, topic, InlineText.BlockText(paragraphs[0]));
        WriteSection(text, "LONG DESCRIPTION", description.Body);
        foreach (var section in sections.Where(s => !ReferenceEquals(s, description)))
        {
            WriteSection(text, Normalize(section.Title), section.Body);
        }

        return new AboutTopic(topic, text.ToString(), diagnostics.Path);
    }

    private static void Header(StringBuilder text, string topic, string shortDescription)
    {
        // Line 5 must be the short description: Get-Help reads it as the synopsis.
        text.Append("TOPIC\n").Append(Indent).Append(topic).Append('\n');
        text.Append('\n');
        text.Append("SHORT DESCRIPTION\n").Append(Indent).Append(shortDescription.Replace('\n', ' ')).Append('\n');
    }

    private static void WriteSection(StringBuilder text, string heading, IEnumerable<Block> body)
    {
        text.Append('\n').Append(heading).Append('\n');
        string indent = Indent;
        Block? previous = null;
        foreach (var block in body)
        {
            bool tight = previous is not null && previous.Kind == BlockKind.ListItem && block.Kind == BlockKind.ListItem;
            if (previous is not null && !tight)
            {
                text.Append('\n');
            }

            switch (block.Kind)
            {
                case BlockKind.Heading:
                    text.Append(Indent).Append(block.Text).Append('\n');
                    indent = Indent + Indent;
                    previous = null; // the text right under a heading follows without a blank line
                    continue;
                case BlockKind.Code:
                    foreach (var line in block.Lines)
                    {
                        text.Append(line.Length == 0 ? string.Empty : indent + Indent + line).Append('\n');
                    }

                    break;
                case BlockKind.Table:
                    foreach (var line in block.Lines)
                    {
                        text.Append(indent).Append(line).Append('\n');
                    }

                    break;
                default:
                    text.Append(indent).Append(InlineText.BlockText(block)).Append('\n');
                    break;
            }

            previous = block;
        }
    }

    private static string Prose(IEnumerable<Block> blocks) =>
        string.Join(" ", blocks.Where(b => b.Kind != BlockKind.Heading).Select(InlineText.BlockText)).Trim();

    private static string Normalize(string heading) => heading.Trim().ToUpperInvariant();
}
