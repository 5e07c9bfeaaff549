using System.Globalization;
using System.Text.RegularExpressions;
using FonanaMigration.HelpCompiler.Markdown;
using FonanaMigration.HelpCompiler.Model;

namespace FonanaMigration.HelpCompiler;

/// <summary>
/// Reads the ```yaml block under a "### -Name" heading (PlatyPS schema 2024-05-01). This is not a general
/// YAML parser: it understands the shapes PlatyPS writes — scalars, flow lists ("[]", "[a, b]"), block lists of
/// scalars and the block list of maps under ParameterSets — and reports anything else with its line.
/// </summary>
internal static class ParameterMetadataParser
{
    private static readonly Regex KeyValue = new(@"^([A-Za-z][A-Za-z0-9_ ]*?)\s*:(?:\s+(.*?))?\s*$", RegexOptions.CultureInvariant);

    private sealed record Node(int Line, string? Scalar, List<Node>? Items, Dictionary<string, Node>? Map);

    public static void Apply(Block yaml, ParameterHelp parameter, Diagnostics diagnostics)
    {
        var root = ParseTopLevel(yaml, diagnostics);
        if (root is null)
        {
            return;
        }

        if (root.TryGetValue("Type", out var type) && !string.IsNullOrWhiteSpace(type.Scalar))
        {
            parameter.Type = type.Scalar.Trim();
        }
        else
        {
            diagnostics.Error(yaml.Line, $"parameter -{parameter.Name}: yaml block has no 'Type:'");
        }

        if (root.TryGetValue("DefaultValue", out var defaultValue) && !string.IsNullOrWhiteSpace(defaultValue.Scalar))
        {
            parameter.DefaultValue = defaultValue.Scalar.Trim();
        }

        parameter.SupportsWildcards = Bool(root, "SupportsWildcards", false, parameter, diagnostics);
        parameter.DontShow = Bool(root, "DontShow", false, parameter, diagnostics);
        parameter.Aliases.AddRange(ScalarList(root, "Aliases", parameter, diagnostics));
        parameter.AcceptedValues.AddRange(ScalarList(root, "AcceptedValues", parameter, diagnostics));

        if (!root.TryGetValue("ParameterSets", out var sets) || sets.Items is null || sets.Items.Count == 0)
        {
            var hint = root.ContainsKey("Parameter Sets") || root.ContainsKey("Required")
                ? " (this looks like the PlatyPS 0.x schema; only schema 2024-05-01 is supported)"
                : string.Empty;
            diagnostics.Error(sets?.Line ?? yaml.Line, $"parameter -{parameter.Name}: yaml block has no 'ParameterSets:' entries{hint}");
            return;
        }

        foreach (var item in sets.Items)
        {
            if (item.Map is null || !item.Map.TryGetValue("Name", out var name) || string.IsNullOrWhiteSpace(name.Scalar))
            {
                diagnostics.Error(item.Line, $"parameter -{parameter.Name}: each ParameterSets entry needs '- Name: <set>'");
                continue;
            }

            var entry = new ParameterSetEntry { SetName = name.Scalar.Trim(), Line = item.Line };
            if (item.Map.TryGetValue("Position", out var position) && position.Scalar is { } p && !p.Equals("Named", StringComparison.OrdinalIgnoreCase))
            {
                if (int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pos))
                {
                    entry.Position = pos;
                }
                else
                {
                    diagnostics.Error(position.Line, $"parameter -{parameter.Name}: Position must be 'Named' or a number, not '{p}'");
                }
            }

            entry.IsRequired = Bool(item.Map, "IsRequired", false, parameter, diagnostics);
            entry.ValueFromPipeline = Bool(item.Map, "ValueFromPipeline", false, parameter, diagnostics);
            entry.ValueFromPipelineByPropertyName = Bool(item.Map, "ValueFromPipelineByPropertyName", false, parameter, diagnostics);
            entry.ValueFromRemainingArguments = Bool(item.Map, "ValueFromRemainingArguments", false, parameter, diagnostics);
            parameter.Sets.Add(entry);
        }
    }

    private static bool Bool(Dictionary<string, Node> map, string key, bool fallback, ParameterHelp parameter, Diagnostics diagnostics)
    {
        if (!map.TryGetValue(key, out var node) || string.IsNullOrWhiteSpace(node.Scalar))
        {
            return fallback;
        }

        if (bool.TryParse(node.Scalar.Trim(), out var value))
        {
            return value;
        }

        diagnostics.Error(node.Line, $"parameter -{parameter.Name}: {key} must be true or false, not '{node.Scalar}'");
        return fallback;
    }

    private static IEnumerable<string> ScalarList(Dictionary<string, Node> map, string key, ParameterHelp parameter, Diagnostics diagnostics)
    {
        if (!map.TryGetValue(key, out var node))
        {
            return Array.Empty<string>();
        }

        if (node.Items is not null)
        {
            var values = new List<string>();
            foreach (var item in node.Items)
            {
                if (item.Scalar is null)
                {
                    diagnostics.Error(item.Line, $"parameter -{parameter.Name}: {key} must be a list of plain values");
                }
                else if (item.Scalar.Length > 0)
                {
                    values.Add(item.Scalar);
                }
            }

            return values;
        }

        // A bare scalar ("Aliases: cn") is accepted as a one-item list.
        return string.IsNullOrWhiteSpace(node.Scalar) ? Array.Empty<string>() : new[] { node.Scalar.Trim() };
    }

    private static Dictionary<string, Node>? ParseTopLevel(Block yaml, Diagnostics diagnostics)
    {
        var result = new Dictionary<string, Node>(StringComparer.Ordinal);
        var lines = yaml.Lines;
        int firstLine = yaml.Line + 1;
        int i = 0;
        while (i < lines.Count)
        {
            var line = lines[i];
            if (IsBlankOrComment(line))
            {
                i++;
                continue;
            }

            var m = KeyValue.Match(line);
            if (Indent(line) != 0 || !m.Success)
            {
                diagnostics.Error(firstLine + i, $"cannot read yaml line '{line.Trim()}' (expected 'Key: value')");
                return null;
            }

            var key = m.Groups[1].Value;
            var value = m.Groups[2].Value;
            int keyLine = firstLine + i;
            i++;
            if (value.Length > 0)
            {
                result[key] = ParseInline(value, keyLine, diagnostics);
                continue;
            }

            // Block value: the following lines that are indented or start with "- ".
            int start = i;
            while (i < lines.Count && (IsBlankOrComment(lines[i]) || Indent(lines[i]) > 0 || lines[i].StartsWith("- ", StringComparison.Ordinal) || lines[i] == "-"))
            {
                i++;
            }

            result[key] = start == i
                ? new Node(keyLine, string.Empty, null, null)
                : ParseBlockList(lines, start, i, firstLine, diagnostics) ?? new Node(keyLine, string.Empty, null, null);
        }

        return result;
    }

    private static Node? ParseBlockList(List<string> lines, int start, int end, int firstLine, Diagnostics diagnostics)
    {
        var items = new List<Node>();
        int? itemIndent = null;
        Dictionary<string, Node>? currentMap = null;
        int listLine = firstLine + start;
        for (int i = start; i < end; i++)
        {
            var line = lines[i];
            if (IsBlankOrComment(line))
            {
                continue;
            }

            int indent = Indent(line);
            var trimmed = line.Trim();
            int lineNo = firstLine + i;
            if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed == "-")
            {
                itemIndent ??= indent;
                if (indent != itemIndent)
                {
                    diagnostics.Error(lineNo, "cannot read nested yaml list item (unexpected indentation)");
                    return null;
                }

                var rest = trimmed.Length > 1 ? trimmed[2..].Trim() : string.Empty;
                var kv = KeyValue.Match(rest);
                if (kv.Success)
                {
                    currentMap = new Dictionary<string, Node>(StringComparer.Ordinal)
                    {
                        [kv.Groups[1].Value] = ParseInline(kv.Groups[2].Value, lineNo, diagnostics),
                    };
                    items.Add(new Node(lineNo, null, null, currentMap));
                }
                else
                {
                    currentMap = null;
                    items.Add(ParseInline(rest, lineNo, diagnostics));
                }

                continue;
            }

            var pair = KeyValue.Match(trimmed);
            if (currentMap is not null && indent > (itemIndent ?? 0) && pair.Success)
            {
                currentMap[pair.Groups[1].Value] = ParseInline(pair.Groups[2].Value, lineNo, diagnostics);
                continue;
            }

            diagnostics.Error(lineNo, $"cannot read yaml line '{trimmed}' (expected a '- item' or a 'Key: value' of the item above)");
            return null;
        }

        return new Node(listLine, null, items, null);
    }

    private static Node ParseInline(string value, int line, Diagnostics diagnostics)
    {
        value = value.Trim();
        if (value.StartsWith('['))
        {
            if (!value.EndsWith(']'))
            {
                diagnostics.Error(line, $"yaml list '{value}' is not closed with ']'");
                return new Node(line, null, new List<Node>(), null);
            }

            var items = new List<Node>();
            foreach (var part in SplitFlow(value[1..^1]))
            {
                if (part.Trim().Length > 0)
                {
                    items.Add(new Node(line, MarkdownDocument.Unquote(part), null, null));
                }
            }

            return new Node(line, null, items, null);
        }

        if (value is "~" or "null")
        {
            return new Node(line, string.Empty, null, null);
        }

        return new Node(line, MarkdownDocument.Unquote(value), null, null);
    }

    private static IEnumerable<string> SplitFlow(string text)
    {
        int start = 0;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ',')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ', '\t').Length;

    private static bool IsBlankOrComment(string line) => line.Trim().Length == 0 || line.TrimStart().StartsWith('#');
}
