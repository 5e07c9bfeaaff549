using System.Globalization;
using FonanaMigration.HelpCompiler.Markdown;
using FonanaMigration.HelpCompiler.Model;
using YamlDotNet.RepresentationModel;

namespace FonanaMigration.HelpCompiler;

/// <summary>
/// Reads the ```yaml block under a "### -Name" heading (PlatyPS schema 2024-05-01) with YamlDotNet, and reports
/// every key whose value has the wrong shape at its own line.
/// </summary>
internal static class ParameterMetadataReader
{
    public static void Apply(Block yaml, ParameterHelp parameter, Diagnostics diagnostics)
    {
        int firstLine = yaml.Line + 1; // the line after the opening fence
        var node = YamlText.Load(string.Join("\n", yaml.Lines), firstLine, $"parameter -{parameter.Name}: yaml block", diagnostics);
        if (node is not null and not YamlMappingNode)
        {
            diagnostics.Error(YamlText.PageLine(firstLine, node.Start), $"parameter -{parameter.Name}: yaml block must be 'Key: value' lines");
            return;
        }

        if (node is null && diagnostics.HasErrors)
        {
            return; // not YAML: already reported
        }

        var root = Keys(node as YamlMappingNode);
        int Line(YamlNode n) => YamlText.PageLine(firstLine, n.Start);

        if (Scalar(root, "Type") is { Length: > 0 } type)
        {
            parameter.Type = type;
        }
        else
        {
            diagnostics.Error(yaml.Line, $"parameter -{parameter.Name}: yaml block has no 'Type:'");
        }

        if (Scalar(root, "DefaultValue") is { Length: > 0 } defaultValue)
        {
            parameter.DefaultValue = defaultValue;
        }

        parameter.SupportsWildcards = Bool(root, "SupportsWildcards", parameter, Line, diagnostics);
        parameter.DontShow = Bool(root, "DontShow", parameter, Line, diagnostics);
        parameter.Aliases.AddRange(ScalarList(root, "Aliases", parameter, Line, diagnostics));
        parameter.AcceptedValues.AddRange(ScalarList(root, "AcceptedValues", parameter, Line, diagnostics));

        root.TryGetValue("ParameterSets", out var setsEntry);
        if (setsEntry.Value is not YamlSequenceNode { Children.Count: > 0 } sets)
        {
            var hint = root.ContainsKey("Parameter Sets") || root.ContainsKey("Required")
                ? " (this looks like the PlatyPS 0.x schema; only schema 2024-05-01 is supported)"
                : string.Empty;
            diagnostics.Error(setsEntry.Key is null ? yaml.Line : Line(setsEntry.Key), $"parameter -{parameter.Name}: yaml block has no 'ParameterSets:' entries{hint}");
            return;
        }

        foreach (var item in sets.Children)
        {
            var map = item is YamlMappingNode m ? Keys(m) : null;
            if (map is null || Scalar(map, "Name") is not { Length: > 0 } setName)
            {
                diagnostics.Error(Line(item), $"parameter -{parameter.Name}: each ParameterSets entry needs '- Name: <set>'");
                continue;
            }

            var entry = new ParameterSetEntry { SetName = setName, Line = Line(item) };
            if (map.TryGetValue("Position", out var position) && position.Value is YamlScalarNode positionNode
                && YamlText.Scalar(positionNode) is var p && !p.Equals("Named", StringComparison.OrdinalIgnoreCase))
            {
                if (int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pos))
                {
                    entry.Position = pos;
                }
                else
                {
                    diagnostics.Error(Line(positionNode), $"parameter -{parameter.Name}: Position must be 'Named' or a number, not '{p}'");
                }
            }

            entry.IsRequired = Bool(map, "IsRequired", parameter, Line, diagnostics);
            entry.ValueFromPipeline = Bool(map, "ValueFromPipeline", parameter, Line, diagnostics);
            entry.ValueFromPipelineByPropertyName = Bool(map, "ValueFromPipelineByPropertyName", parameter, Line, diagnostics);
            entry.ValueFromRemainingArguments = Bool(map, "ValueFromRemainingArguments", parameter, Line, diagnostics);
            parameter.Sets.Add(entry);
        }
    }

    /// <summary>A mapping's entries by key as written (case-sensitive, as PlatyPS writes them), each with its key node for the line.</summary>
    private static Dictionary<string, KeyValuePair<YamlNode, YamlNode>> Keys(YamlMappingNode? map)
    {
        var keys = new Dictionary<string, KeyValuePair<YamlNode, YamlNode>>(StringComparer.Ordinal);
        foreach (var pair in map?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (pair.Key is YamlScalarNode { Value: { } key })
            {
                keys[key] = pair;
            }
        }

        return keys;
    }

    private static string? Scalar(Dictionary<string, KeyValuePair<YamlNode, YamlNode>> map, string key) =>
        map.TryGetValue(key, out var pair) && pair.Value is YamlScalarNode scalar ? YamlText.Scalar(scalar) : null;

    private static bool Bool(Dictionary<string, KeyValuePair<YamlNode, YamlNode>> map, string key, ParameterHelp parameter, Func<YamlNode, int> line, Diagnostics diagnostics)
    {
        if (!map.TryGetValue(key, out var pair) || pair.Value is not YamlScalarNode scalar || YamlText.Scalar(scalar) is not { Length: > 0 } text)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        diagnostics.Error(line(scalar), $"parameter -{parameter.Name}: {key} must be true or false, not '{text}'");
        return false;
    }

    private static IEnumerable<string> ScalarList(Dictionary<string, KeyValuePair<YamlNode, YamlNode>> map, string key, ParameterHelp parameter, Func<YamlNode, int> line, Diagnostics diagnostics)
    {
        if (!map.TryGetValue(key, out var pair))
        {
            return Array.Empty<string>();
        }

        if (pair.Value is YamlSequenceNode sequence)
        {
            var values = new List<string>();
            foreach (var item in sequence.Children)
            {
                if (item is not YamlScalarNode scalar)
                {
                    diagnostics.Error(line(item), $"parameter -{parameter.Name}: {key} must be a list of plain values");
                }
                else if (YamlText.Scalar(scalar) is { Length: > 0 } value)
                {
                    values.Add(value);
                }
            }

            return values;
        }

        // A bare scalar ("Aliases: cn") is accepted as a one-item list.
        return pair.Value is YamlScalarNode one && YamlText.Scalar(one) is { Length: > 0 } single ? new[] { single } : Array.Empty<string>();
    }
}
