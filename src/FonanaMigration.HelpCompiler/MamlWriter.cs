using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using FonanaMigration.HelpCompiler.Model;

namespace FonanaMigration.HelpCompiler;

/// <summary>
/// Writes the MAML ("&lt;Assembly&gt;.dll-Help.xml") that PowerShell's help system reads for a binary module,
/// in the same shape PlatyPS produces: helpItems/command:command with details, description, syntax, parameters,
/// inputTypes, returnValues, alertSet, examples and relatedLinks.
/// </summary>
internal static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    public static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    private static readonly Regex Namespaced = new(@"\b(?:[A-Za-z_][A-Za-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_`]*)", RegexOptions.CultureInvariant);

    public static XDocument Build(IEnumerable<CommandHelp> commands) =>
        new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute("xmlns", Msh.NamespaceName),
                commands.Select(BuildCommand)));

    public static void Write(XDocument document, string path)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    /// <summary>"System.Collections.Generic.List`1[System.String]" → "List`1[String]"; "System.String[]" → "String[]".</summary>
    public static string ShortTypeName(string type) => Namespaced.Replace(type.Trim(), "$1");

    internal static XElement BuildCommand(CommandHelp command)
    {
        var element = new XElement(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp.NamespaceName),
            new XElement(
                Command + "details",
                new XElement(Command + "name", command.Name),
                new XElement(Command + "verb", command.Verb),
                new XElement(Command + "noun", command.Noun),
                Description(Maml + "description", new[] { command.Synopsis })),
            Description(Maml + "description", command.Description),
            new XElement(Command + "syntax", command.ParameterSets.Select(set => SyntaxItem(command, set))),
            new XElement(Command + "parameters", VisibleParameters(command).Select(p => Parameter(command, p))));

        if (command.Inputs.Count > 0)
        {
            element.Add(new XElement(Command + "inputTypes", command.Inputs.Select(t => TypeEntry(Command + "inputType", t))));
        }

        if (command.Outputs.Count > 0)
        {
            element.Add(new XElement(Command + "returnValues", command.Outputs.Select(t => TypeEntry(Command + "returnValue", t))));
        }

        if (command.Notes.Count > 0)
        {
            element.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", command.Notes.Select(Para))));
        }

        element.Add(new XElement(Command + "examples", command.Examples.Select(Example)));

        if (command.RelatedLinks.Count > 0)
        {
            element.Add(new XElement(
                Command + "relatedLinks",
                command.RelatedLinks.Select(l => new XElement(
                    Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri)))));
        }

        return element;
    }

    /// <summary>Parameters of one set, in the order its syntax code block shows them, then by position and requiredness.</summary>
    internal static IEnumerable<(ParameterHelp Parameter, ParameterSetEntry Entry)> ParametersOfSet(CommandHelp command, SyntaxSet set)
    {
        var members = VisibleParameters(command)
            .Select((p, index) => (Parameter: p, Entry: p.Sets.FirstOrDefault(e => e.AppliesTo(set.Name) && e.SetName != ParameterSetEntry.AllSets) ?? p.Sets.FirstOrDefault(e => e.AppliesTo(set.Name)), Index: index))
            .Where(x => x.Entry is not null)
            .ToList();

        int Rank(string name)
        {
            int i = set.SyntaxOrder.FindIndex(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            return i < 0 ? int.MaxValue : i;
        }

        return members
            .OrderBy(x => Rank(x.Parameter.Name))
            .ThenBy(x => x.Entry!.Position ?? int.MaxValue)
            .ThenBy(x => x.Entry!.IsRequired ? 0 : 1)
            .ThenBy(x => x.Parameter.IsSwitch ? 1 : 0)
            .ThenBy(x => x.Index)
            .Select(x => (x.Parameter, x.Entry!));
    }

    private static IEnumerable<ParameterHelp> VisibleParameters(CommandHelp command) => command.Parameters.Where(p => !p.DontShow);

    private static XElement SyntaxItem(CommandHelp command, SyntaxSet set) =>
        new(
            Command + "syntaxItem",
            new XElement(Maml + "name", command.Name),
            ParametersOfSet(command, set).Select(x => SyntaxParameter(x.Parameter, x.Entry)));

    private static XElement SyntaxParameter(ParameterHelp parameter, ParameterSetEntry entry)
    {
        var element = ParameterElement(
            parameter,
            required: entry.IsRequired,
            position: entry.Position,
            byValue: entry.ValueFromPipeline,
            byPropertyName: entry.ValueFromPipelineByPropertyName);
        element.Add(new XElement(Maml + "name", parameter.Name));
        element.Add(Description(Maml + "description", parameter.Description));
        if (!parameter.IsSwitch)
        {
            AddValueGroup(element, parameter);
            element.Add(ParameterValue(parameter));
        }

        element.Add(DevType(parameter.Type));
        element.Add(new XElement(Dev + "defaultValue", parameter.DefaultValue));
        return element;
    }

    private static XElement Parameter(CommandHelp command, ParameterHelp parameter)
    {
        // Across sets: required if any set requires it, position of the first set, pipeline input if any set takes it.
        var first = command.ParameterSets
            .Select(s => parameter.Sets.FirstOrDefault(e => e.AppliesTo(s.Name)))
            .FirstOrDefault(e => e is not null) ?? parameter.Sets.FirstOrDefault();
        var element = ParameterElement(
            parameter,
            required: parameter.Sets.Any(e => e.IsRequired),
            position: first?.Position,
            byValue: parameter.Sets.Any(e => e.ValueFromPipeline),
            byPropertyName: parameter.Sets.Any(e => e.ValueFromPipelineByPropertyName));
        element.Add(new XElement(Maml + "name", parameter.Name));
        element.Add(Description(Maml + "description", parameter.Description));
        AddValueGroup(element, parameter);
        element.Add(ParameterValue(parameter));
        element.Add(DevType(parameter.Type));
        element.Add(new XElement(Dev + "defaultValue", parameter.IsSwitch && parameter.DefaultValue == "None" ? "False" : parameter.DefaultValue));
        return element;
    }

    private static XElement ParameterElement(ParameterHelp parameter, bool required, int? position, bool byValue, bool byPropertyName) =>
        new(
            Command + "parameter",
            new XAttribute("required", Bool(required)),
            new XAttribute("variableLength", Bool(parameter.Type.EndsWith("[]", StringComparison.Ordinal))),
            new XAttribute("globbing", Bool(parameter.SupportsWildcards)),
            new XAttribute("pipelineInput", PipelineInput(byValue, byPropertyName)),
            new XAttribute("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)));

    internal static string PipelineInput(bool byValue, bool byPropertyName) => (byValue, byPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    private static XElement ParameterValue(ParameterHelp parameter) =>
        new(
            Command + "parameterValue",
            new XAttribute("required", Bool(!parameter.IsSwitch)),
            new XAttribute("variableLength", Bool(parameter.Type.EndsWith("[]", StringComparison.Ordinal))),
            ShortTypeName(parameter.Type));

    private static void AddValueGroup(XElement element, ParameterHelp parameter)
    {
        if (parameter.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(
                Command + "parameterValueGroup",
                parameter.AcceptedValues.Select(v => new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", "false"),
                    new XAttribute("command", "false"),
                    new XAttribute("variableLength", "false"),
                    v))));
        }
    }

    private static XElement DevType(string type) =>
        new(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri"));

    private static XElement TypeEntry(XName name, TypeHelp type) =>
        new(name, DevType(type.TypeName), Description(Maml + "description", type.Description));

    private static XElement Example(ExampleHelp example) =>
        new(
            Command + "example",
            new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
            new XElement(Dev + "code", string.Join("\n\n", example.Code)),
            new XElement(Dev + "remarks", example.Remarks.Select(Para)));

    private static XElement Description(XName name, IEnumerable<string> paragraphs) => new(name, paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);

    private static string Bool(bool value) => value ? "true" : "false";
}
