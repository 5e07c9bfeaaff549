using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FonanaMigration.HelpCompiler.Markdown;

/// <summary>YAML embedded in a page (front matter, a parameter's metadata block), read by YamlDotNet.</summary>
internal static class YamlText
{
    // YamlDotNet prefixes its messages with "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the page line is printed anyway.
    private static readonly Regex MarkPrefix = new(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant);

    /// <summary>The root node of <paramref name="yaml"/>, or null when it is empty or not YAML (then an error says where).</summary>
    public static YamlNode? Load(string yaml, int firstLine, string what, Diagnostics diagnostics)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            diagnostics.Error(PageLine(firstLine, e.Start), $"{what} is not valid YAML: {MarkPrefix.Replace(e.Message, string.Empty)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this instead of a YamlException on some broken input (an unclosed "[a, b").
            diagnostics.Error(PageLine(firstLine, scanner.CurrentPosition), $"{what} is not valid YAML: it ends inside an unclosed value");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Error(PageLine(firstLine, stream.Documents[1].RootNode.Start), $"{what} holds more than one YAML document");
            return null;
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>1-based page line of a YAML position in text whose first line is page line <paramref name="firstLine"/>.</summary>
    public static int PageLine(int firstLine, Mark mark) => firstLine + (int)Math.Max(0, mark.Line - 1);

    /// <summary>A scalar's value; a plain "~", "null" or nothing is YAML's null and reads as empty.</summary>
    public static string Scalar(YamlScalarNode node)
    {
        var value = node.Value ?? string.Empty;
        return node.Style == ScalarStyle.Plain && value is "~" or "null" or "Null" or "NULL" ? string.Empty : value.Trim();
    }
}
