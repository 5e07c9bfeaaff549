using System.Text.RegularExpressions;
using FonanaMigration.HelpCompiler.Markdown;
using FonanaMigration.HelpCompiler.Model;

namespace FonanaMigration.HelpCompiler;

/// <summary>
/// Reads one cmdlet page in the PlatyPS 1.x Markdown schema (2024-05-01) into a <see cref="CommandHelp"/>,
/// reporting every structural problem with its line. A page with errors yields no help.
/// </summary>
internal static class CmdletPageParser
{
    public const string Synopsis = "SYNOPSIS";
    public const string Syntax = "SYNTAX";
    public const string Aliases = "ALIASES";
    public const string Description = "DESCRIPTION";
    public const string Examples = "EXAMPLES";
    public const string Parameters = "PARAMETERS";
    public const string Inputs = "INPUTS";
    public const string Outputs = "OUTPUTS";
    public const string Notes = "NOTES";
    public const string RelatedLinks = "RELATED LINKS";

    /// <summary>The H2 sections a cmdlet page may have, in the order PlatyPS writes them.</summary>
    public static readonly IReadOnlyList<string> KnownSections = new[]
    {
        Synopsis, Syntax, Aliases, Description, Examples, Parameters, Inputs, Outputs, Notes, RelatedLinks,
    };

    private static readonly string[] RequiredSections = { Synopsis, Syntax, Description, Examples };

    private static readonly Regex CommandName = new(@"^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9_.]+$", RegexOptions.CultureInvariant);
    private static readonly Regex ParameterName = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly Regex SyntaxToken = new(@"(?<![\w-])-([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);
    private static readonly Regex DefaultSuffix = new(@"^(.*?)\s*\(\s*Default\s*\)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex Placeholder = new(@"\{\{\s*(?:Fill|Add|Update)\b[^}]*\}\}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static CommandHelp? Parse(MarkdownDocument document, Diagnostics diagnostics)
    {
        var blocks = document.Blocks;

        ReportPlaceholders(document, diagnostics);

        var titles = blocks.Where(b => b.Kind == BlockKind.Heading && b.Level == 1).ToList();
        if (titles.Count == 0)
        {
            diagnostics.Error(1, "cmdlet page has no '# Verb-Noun' title heading");
            return null;
        }

        foreach (var extra in titles.Skip(1))
        {
            diagnostics.Error(extra.Line, $"second '# {extra.Text}' title heading; a cmdlet page has exactly one");
        }

        var titleBlock = titles[0];
        var name = titleBlock.Text.Trim();
        if (!CommandName.IsMatch(name))
        {
            diagnostics.Error(titleBlock.Line, $"title '{name}' is not a Verb-Noun cmdlet name");
        }

        if (document.FrontMatter.TryGetValue("title", out var frontTitle) && frontTitle.Length > 0
            && !string.Equals(frontTitle, name, StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Error(titleBlock.Line, $"title heading '# {name}' does not match front matter 'title: {frontTitle}'");
        }

        int titleIndex = IndexOf(blocks, titleBlock);
        if (titleIndex > 0)
        {
            diagnostics.Error(blocks[0].Line, "text before the '# " + name + "' title heading");
        }

        var command = new CommandHelp { Name = name, SourcePath = diagnostics.Path };
        if (document.FrontMatter.TryGetValue("HelpUri", out var helpUri) && helpUri.Length > 0)
        {
            if (InlineText.IsAbsolute(helpUri))
            {
                command.HelpUri = helpUri;
            }
            else
            {
                diagnostics.Error(1, $"front matter HelpUri '{helpUri}' is not an absolute http(s) address");
            }
        }

        var (preamble, sections) = Sections.Split(blocks.Skip(titleIndex + 1).Where(b => !(b.Kind == BlockKind.Heading && b.Level == 1)), 2);
        if (preamble.Count > 0)
        {
            diagnostics.Error(preamble[0].Line, "text between the title heading and the first '## SECTION' heading");
        }

        var byName = new Dictionary<string, Section>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var key = section.Title.Trim().ToUpperInvariant();
            if (!KnownSections.Contains(key))
            {
                diagnostics.Error(section.Heading.Line, $"unknown section '## {section.Title}'; a cmdlet page has only: {string.Join(", ", KnownSections)}");
            }
            else if (byName.ContainsKey(key))
            {
                diagnostics.Error(section.Heading.Line, $"section '## {section.Title}' appears twice (first at line {byName[key].Heading.Line})");
            }
            else
            {
                byName[key] = section;
            }
        }

        foreach (var required in RequiredSections)
        {
            if (!byName.ContainsKey(required))
            {
                diagnostics.Error(titleBlock.Line, $"missing '## {required}' section");
            }
        }

        if (byName.TryGetValue(Synopsis, out var synopsis))
        {
            ReadSynopsis(synopsis, command, diagnostics);
        }

        if (byName.TryGetValue(Syntax, out var syntax))
        {
            ReadSyntax(syntax, command, diagnostics);
        }

        if (byName.TryGetValue(Description, out var description))
        {
            command.Description.AddRange(Paragraphs(description.Body));
            if (command.Description.Count == 0)
            {
                diagnostics.Error(description.Heading.Line, "'## DESCRIPTION' is empty");
            }
        }

        if (byName.TryGetValue(Examples, out var examples))
        {
            ReadExamples(examples, command, diagnostics);
        }

        if (byName.TryGetValue(Parameters, out var parameters))
        {
            ReadParameters(parameters, command, diagnostics);
        }

        if (byName.TryGetValue(Inputs, out var inputs))
        {
            ReadTypes(inputs, command.Inputs, diagnostics);
        }

        if (byName.TryGetValue(Outputs, out var outputs))
        {
            ReadTypes(outputs, command.Outputs, diagnostics);
        }

        if (byName.TryGetValue(Notes, out var notes))
        {
            command.Notes.AddRange(Paragraphs(notes.Body));
        }

        if (byName.TryGetValue(RelatedLinks, out var links))
        {
            ReadLinks(links, command, diagnostics);
        }

        CheckParameterSets(command, diagnostics);

        return diagnostics.HasErrors ? null : command;
    }

    /// <summary>PlatyPS fills new pages with "{{ Fill ... }}" text; shipping that is always a mistake.</summary>
    internal static void ReportPlaceholders(MarkdownDocument document, Diagnostics diagnostics)
    {
        foreach (var block in document.Blocks)
        {
            var text = block.Kind is BlockKind.Code or BlockKind.Table ? string.Join("\n", block.Lines) : block.Text;
            var placeholder = Placeholder.Match(text);
            if (placeholder.Success)
            {
                diagnostics.Error(block.Line, $"PlatyPS placeholder '{placeholder.Value}' was never replaced with real text");
            }
        }
    }

    private static void ReadSynopsis(Section section, CommandHelp command, Diagnostics diagnostics)
    {
        foreach (var block in section.Body.Where(b => b.Kind is BlockKind.Heading or BlockKind.Code))
        {
            diagnostics.Error(block.Line, $"'## SYNOPSIS' may hold only a sentence or two, not a {(block.Kind == BlockKind.Code ? "code block" : "heading")}");
        }

        command.Synopsis = string.Join(" ", section.Body.Where(b => b.Kind is not (BlockKind.Heading or BlockKind.Code)).Select(InlineText.BlockText)).Trim();
        if (command.Synopsis.Length == 0)
        {
            diagnostics.Error(section.Heading.Line, "'## SYNOPSIS' is empty");
        }
    }

    private static void ReadSyntax(Section section, CommandHelp command, Diagnostics diagnostics)
    {
        var (preamble, sets) = Sections.Split(section.Body, 3);
        if (preamble.Count > 0)
        {
            diagnostics.Error(preamble[0].Line, "text in '## SYNTAX' outside a '### ParameterSetName' subsection");
        }

        if (sets.Count == 0)
        {
            diagnostics.Error(section.Heading.Line, "'## SYNTAX' has no '### ParameterSetName' subsection");
            return;
        }

        foreach (var set in sets)
        {
            var title = set.Title.Trim();
            var m = DefaultSuffix.Match(title);
            var setName = m.Success ? m.Groups[1].Value.Trim() : title;
            if (setName.Length == 0)
            {
                diagnostics.Error(set.Heading.Line, "parameter set heading has no name");
                continue;
            }

            if (command.ParameterSets.Any(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase)))
            {
                diagnostics.Error(set.Heading.Line, $"parameter set '{setName}' appears twice in '## SYNTAX'");
                continue;
            }

            var syntaxSet = new SyntaxSet { Name = setName, IsDefault = m.Success, Line = set.Heading.Line };
            var code = set.Body.Where(b => b.Kind == BlockKind.Code).ToList();
            if (code.Count == 0)
            {
                diagnostics.Warning(set.Heading.Line, $"parameter set '{setName}' has no syntax code block; parameters are ordered by position");
            }

            foreach (Match token in SyntaxToken.Matches(string.Join("\n", code.SelectMany(c => c.Lines))))
            {
                var parameter = token.Groups[1].Value;
                if (!syntaxSet.SyntaxOrder.Contains(parameter, StringComparer.OrdinalIgnoreCase))
                {
                    syntaxSet.SyntaxOrder.Add(parameter);
                }
            }

            command.ParameterSets.Add(syntaxSet);
        }

        if (command.ParameterSets.Count(s => s.IsDefault) > 1)
        {
            diagnostics.Error(section.Heading.Line, "more than one parameter set is marked '(Default)'");
        }
    }

    private static void ReadExamples(Section section, CommandHelp command, Diagnostics diagnostics)
    {
        var (preamble, examples) = Sections.Split(section.Body, 3);
        if (preamble.Count > 0)
        {
            diagnostics.Error(preamble[0].Line, "text in '## EXAMPLES' outside a '### Example N: Title' subsection");
        }

        if (examples.Count == 0)
        {
            diagnostics.Error(section.Heading.Line, "'## EXAMPLES' has no example; add at least one '### Example 1: ...' with a code block");
            return;
        }

        foreach (var example in examples)
        {
            var help = new ExampleHelp { Title = example.Title.Trim() };
            foreach (var block in example.Body)
            {
                if (block.Kind == BlockKind.Code)
                {
                    help.Code.Add(string.Join("\n", block.Lines).Trim('\n'));
                }
                else
                {
                    help.Remarks.Add(InlineText.BlockText(block));
                }
            }

            if (help.Code.Count == 0 || help.Code.All(c => c.Trim().Length == 0))
            {
                diagnostics.Error(example.Heading.Line, $"example '{example.Title}' has no code block");
            }

            command.Examples.Add(help);
        }
    }

    private static void ReadParameters(Section section, CommandHelp command, Diagnostics diagnostics)
    {
        var (preamble, parameters) = Sections.Split(section.Body, 3);
        if (preamble.Count > 0)
        {
            diagnostics.Error(preamble[0].Line, "text in '## PARAMETERS' outside a '### -ParameterName' subsection");
        }

        foreach (var subsection in parameters)
        {
            var title = subsection.Title.Trim();
            if (title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)
                || title.Equals("WorkflowCommonParameters", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Get-Help adds the common parameters itself.
            }

            if (!title.StartsWith('-') || !ParameterName.IsMatch(title[1..].Trim()))
            {
                diagnostics.Error(subsection.Heading.Line, $"'### {title}' in '## PARAMETERS' must be '### -ParameterName' or '### CommonParameters'");
                continue;
            }

            var parameter = new ParameterHelp { Name = title[1..].Trim(), Line = subsection.Heading.Line };
            if (command.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                diagnostics.Error(subsection.Heading.Line, $"parameter -{parameter.Name} is documented twice");
                continue;
            }

            var yaml = subsection.Body.Where(b => b.Kind == BlockKind.Code && b.Info is "yaml" or "yml").ToList();
            parameter.Description.AddRange(Paragraphs(subsection.Body.Where(b => !yaml.Contains(b))));
            if (parameter.Description.Count == 0)
            {
                diagnostics.Error(subsection.Heading.Line, $"parameter -{parameter.Name} has no description");
            }

            if (yaml.Count == 0)
            {
                diagnostics.Error(subsection.Heading.Line, $"parameter -{parameter.Name} has no ```yaml metadata block (Type, ParameterSets, ...)");
            }
            else
            {
                foreach (var extra in yaml.Skip(1))
                {
                    diagnostics.Error(extra.Line, $"parameter -{parameter.Name} has more than one ```yaml block");
                }

                ParameterMetadataReader.Apply(yaml[0], parameter, diagnostics);
            }

            command.Parameters.Add(parameter);
        }
    }

    private static void ReadTypes(Section section, List<TypeHelp> target, Diagnostics diagnostics)
    {
        var (preamble, types) = Sections.Split(section.Body, 3);
        if (preamble.Count > 0)
        {
            diagnostics.Error(preamble[0].Line, $"text in '## {section.Title}' outside a '### TypeName' subsection");
        }

        foreach (var type in types)
        {
            target.Add(new TypeHelp(type.Title.Trim(), Paragraphs(type.Body)));
        }
    }

    private static void ReadLinks(Section section, CommandHelp command, Diagnostics diagnostics)
    {
        if (command.HelpUri is not null)
        {
            command.RelatedLinks.Add(new LinkHelp("Online Version:", command.HelpUri));
        }

        foreach (var block in section.Body)
        {
            if (block.Kind is BlockKind.Code or BlockKind.Heading or BlockKind.Table)
            {
                diagnostics.Error(block.Line, "'## RELATED LINKS' may hold only links, one per line or list item");
                continue;
            }

            if (block.Links.Count == 0)
            {
                command.RelatedLinks.Add(new LinkHelp(block.Text, string.Empty));
                continue;
            }

            foreach (var link in block.Links)
            {
                // Relative links point at other Markdown pages, which do not exist once compiled: keep only the text.
                command.RelatedLinks.Add(new LinkHelp(link.Text.Length > 0 ? link.Text : link.Url, InlineText.IsAbsolute(link.Url) ? link.Url : string.Empty));
            }
        }
    }

    private static void CheckParameterSets(CommandHelp command, Diagnostics diagnostics)
    {
        if (command.ParameterSets.Count == 0)
        {
            return; // SYNTAX already reported.
        }

        foreach (var parameter in command.Parameters)
        {
            foreach (var entry in parameter.Sets)
            {
                if (entry.SetName != ParameterSetEntry.AllSets
                    && !command.ParameterSets.Any(s => string.Equals(s.Name, entry.SetName, StringComparison.OrdinalIgnoreCase)))
                {
                    diagnostics.Error(entry.Line, $"parameter -{parameter.Name} is in parameter set '{entry.SetName}', which has no '### {entry.SetName}' heading under '## SYNTAX' (sets: {string.Join(", ", command.ParameterSets.Select(s => s.Name))})");
                }
            }
        }

        foreach (var set in command.ParameterSets)
        {
            foreach (var shown in set.SyntaxOrder)
            {
                var parameter = command.Parameters.FirstOrDefault(p => string.Equals(p.Name, shown, StringComparison.OrdinalIgnoreCase));
                if (parameter is null)
                {
                    diagnostics.Warning(set.Line, $"syntax of set '{set.Name}' shows -{shown}, but '## PARAMETERS' has no '### -{shown}'; Get-Help will not list it");
                }
                else if (!parameter.Sets.Any(e => e.AppliesTo(set.Name)))
                {
                    diagnostics.Warning(parameter.Line, $"syntax of set '{set.Name}' shows -{shown}, but its yaml ParameterSets does not include '{set.Name}' or '(All)'");
                }
            }

            if (set.SyntaxOrder.Count == 0)
            {
                continue;
            }

            foreach (var parameter in command.Parameters.Where(p => !p.DontShow && p.Sets.Any(e => e.AppliesTo(set.Name))))
            {
                if (!set.SyntaxOrder.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                {
                    diagnostics.Warning(parameter.Line, $"parameter -{parameter.Name} is in set '{set.Name}' per its yaml, but the syntax code block of '{set.Name}' does not show it");
                }
            }
        }
    }

    /// <summary>One help paragraph per Markdown block; deeper headings become paragraphs of their own.</summary>
    private static List<string> Paragraphs(IEnumerable<Block> blocks) =>
        blocks.Select(InlineText.BlockText).Where(t => t.Trim().Length > 0).ToList();

    private static int IndexOf(IReadOnlyList<Block> blocks, Block block)
    {
        for (int i = 0; i < blocks.Count; i++)
        {
            if (ReferenceEquals(blocks[i], block))
            {
                return i;
            }
        }

        return -1;
    }
}
