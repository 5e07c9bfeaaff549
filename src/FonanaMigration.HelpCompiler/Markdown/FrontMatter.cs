using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FonanaMigration.HelpCompiler.Markdown;

/// <summary>The YAML front matter of a page: its top-level scalar keys (case-insensitive); nested values are ignored.</summary>
internal static class FrontMatter
{
    /// <param name="yaml">The lines between the fences.</param>
    /// <param name="firstLine">1-based page line of the first of them, so errors point into the page.</param>
    public static Dictionary<string, string> Read(string yaml, int firstLine, Diagnostics diagnostics)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var root = YamlText.Load(yaml, firstLine, "front matter", diagnostics);
        if (root is null)
        {
            return values;
        }

        if (root is not YamlMappingNode map)
        {
            diagnostics.Error(firstLine, "front matter must be 'key: value' lines");
            return values;
        }

        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode scalar)
            {
                values[name.Trim()] = YamlText.Scalar(scalar);
            }
        }

        return values;
    }
}
