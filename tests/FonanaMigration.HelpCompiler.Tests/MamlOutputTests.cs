using System.Xml.Linq;
using static FonanaMigration.HelpCompiler.Tests.CompilerHarness;

namespace FonanaMigration.HelpCompiler.Tests;

public sealed class MamlOutputTests : IDisposable
{
    private readonly CompilerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Output_IsHelpItemsRootInMshNamespaceWithMamlSchema()
    {
        var doc = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CompileMaml();

        Assert.Equal(Msh + "helpItems", doc.Root!.Name);
        Assert.Equal("maml", (string?)doc.Root.Attribute("schema"));
        var command = Assert.Single(doc.Root.Elements(Command + "command"));
        Assert.Equal(Maml.NamespaceName, command.GetNamespaceOfPrefix("maml")?.NamespaceName);
        Assert.Equal(Command.NamespaceName, command.GetNamespaceOfPrefix("command")?.NamespaceName);
        Assert.Equal(Dev.NamespaceName, command.GetNamespaceOfPrefix("dev")?.NamespaceName);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", File.ReadAllText(_harness.OutputPath));
    }

    [Fact]
    public void Details_HoldNameVerbNounAndSynopsis()
    {
        var details = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement().Element(Command + "details")!;

        Assert.Equal("Import-FonanaDatabase", (string?)details.Element(Command + "name"));
        Assert.Equal("Import", (string?)details.Element(Command + "verb"));
        Assert.Equal("FonanaDatabase", (string?)details.Element(Command + "noun"));
        Assert.Equal(
            "Loads an export archive into a target database in one all-or-nothing transaction.",
            (string?)details.Element(Maml + "description")?.Element(Maml + "para"));
    }

    [Fact]
    public void Description_HasOneParaPerParagraph_WithLinesJoinedAndMarkupStripped()
    {
        var paras = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement()
            .Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value).ToArray();

        Assert.Equal(
            new[]
            {
                "The `Import-FonanaDatabase` cmdlet reads an archive and writes every table in one transaction.",
                "Paragraph two, see the guide (https://example.invalid/guide).",
            },
            paras);
    }

    [Fact]
    public void Examples_BecomeCommandExamplesWithCode()
    {
        var examples = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement()
            .Element(Command + "examples")!.Elements(Command + "example").ToArray();

        Assert.Equal(2, examples.Length);
        Assert.Equal("-------------------------- Example 1: Import an archive --------------------------", (string?)examples[0].Element(Maml + "title"));
        Assert.Equal("Import-FonanaDatabase -Path ./fonana.fnz -Target $prod", (string?)examples[0].Element(Dev + "code"));
        Assert.Equal(
            new[] { "Text explaining the example.", "Second remark." },
            examples[0].Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void Example_MultiLineCodeIsKeptVerbatim_AndTextBeforeTheCodeGoesToRemarks()
    {
        var example = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement()
            .Element(Command + "examples")!.Elements(Command + "example").ElementAt(1);

        Assert.Equal("$s = [IO.File]::OpenRead('a.fnz')\nImport-FonanaDatabase -InputStream $s -Target $prod", (string?)example.Element(Dev + "code"));
        Assert.Equal(new[] { "The stream must be seekable." }, example.Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void Parameters_HaveNameDescriptionValueTypeAndDefault()
    {
        var command = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement();
        var path = Parameter(command, "Path");

        Assert.Equal(new[] { "Path of the archive.", "Wildcards are not expanded." }, path.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));
        var value = path.Element(Command + "parameterValue")!;
        Assert.Equal("String", value.Value);
        Assert.Equal("true", (string?)value.Attribute("required"));
        Assert.Equal("System.String", (string?)path.Element(Dev + "type")?.Element(Maml + "name"));
        Assert.Equal("None", (string?)path.Element(Dev + "defaultValue"));
        Assert.Equal("true", (string?)path.Attribute("required"));
        Assert.Equal("0", (string?)path.Attribute("position"));
        Assert.Equal("false", (string?)path.Attribute("globbing"));
        Assert.Equal("FullName, p", (string?)path.Attribute("aliases"));

        var target = Parameter(command, "Target");
        Assert.Equal("DatabaseEndpoint", target.Element(Command + "parameterValue")!.Value);
        Assert.Equal("FonanaMigration.Engine.DatabaseEndpoint", (string?)target.Element(Dev + "type")?.Element(Maml + "name"));
        Assert.Equal("named", (string?)target.Attribute("position"));
        Assert.Equal("none", (string?)target.Attribute("aliases"));
        Assert.Equal("Fail", (string?)Parameter(command, "Mode").Element(Dev + "defaultValue"));
        Assert.Equal("m, ImportMode", (string?)Parameter(command, "Mode").Attribute("aliases"));
    }

    [Fact]
    public void Parameters_KeepPageOrder_AndSkipCommonParametersAndDontShow()
    {
        var names = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement()
            .Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => (string?)p.Element(Maml + "name")).ToArray();

        Assert.Equal(new[] { "Force", "InputStream", "Mode", "Path", "Target", "WhatIf" }, names);
    }

    [Fact]
    public void SwitchParameter_ShowsSwitchValueInParametersSection()
    {
        var force = Parameter(_harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement(), "Force");

        var value = force.Element(Command + "parameterValue")!;
        Assert.Equal("SwitchParameter", value.Value);
        Assert.Equal("false", (string?)value.Attribute("required"));
        Assert.Equal("False", (string?)force.Element(Dev + "defaultValue"));
    }

    [Fact]
    public void AcceptedValues_BecomeParameterValueGroup()
    {
        var command = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement();

        foreach (var mode in new[] { Parameter(command, "Mode") }.Concat(SyntaxParameters(command, 0).Where(p => (string?)p.Element(Maml + "name") == "Mode")))
        {
            Assert.Equal(new[] { "Fail", "Replace" }, mode.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
        }
    }

    [Fact]
    public void PipelineInput_InParametersSection_CombinesAllSets()
    {
        var command = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement();

        Assert.Equal("True (ByValue, ByPropertyName)", (string?)Parameter(command, "Path").Attribute("pipelineInput"));
        Assert.Equal("True (ByValue)", (string?)Parameter(command, "InputStream").Attribute("pipelineInput"));
        Assert.Equal("True (ByPropertyName)", (string?)Parameter(command, "Target").Attribute("pipelineInput"));
        Assert.Equal("False", (string?)Parameter(command, "Mode").Attribute("pipelineInput"));
    }

    [Fact]
    public void InputsAndOutputs_BecomeInputTypesAndReturnValues()
    {
        var command = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement();

        var inputs = command.Element(Command + "inputTypes")!.Elements(Command + "inputType").ToArray();
        Assert.Equal(new[] { "System.String", "System.IO.Stream" }, inputs.Select(i => (string?)i.Element(Dev + "type")?.Element(Maml + "name")));
        Assert.Equal("A path.", (string?)inputs[0].Element(Maml + "description")?.Element(Maml + "para"));
        var output = Assert.Single(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
        Assert.Equal("FonanaMigration.Engine.ImportResult", (string?)output.Element(Dev + "type")?.Element(Maml + "name"));
        Assert.Equal("One result per import.", (string?)output.Element(Maml + "description")?.Element(Maml + "para"));
    }

    [Fact]
    public void Notes_BecomeAlertSetParagraphs()
    {
        var alert = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement()
            .Element(Maml + "alertSet")!.Element(Maml + "alert")!;

        Assert.Equal(
            new[] { "Imports run in one transaction.", "Large archives need disk space for the staging tables." },
            alert.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void RelatedLinks_KeepAbsoluteUris_AndDropRelativeMarkdownTargets()
    {
        var links = _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement()
            .Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => ((string)l.Element(Maml + "linkText")!, (string)l.Element(Maml + "uri")!)).ToArray();

        Assert.Equal(new[] { ("Export-FonanaDatabase", string.Empty), ("Online docs", "https://example.invalid/docs") }, links);
    }

    [Fact]
    public void HelpUri_BecomesFirstOnlineVersionLink()
    {
        var page = Pages.Import.Replace("HelpUri: ''", "HelpUri: https://example.invalid/import", StringComparison.Ordinal);

        var first = _harness.Page("Import-FonanaDatabase.md", page).CommandElement()
            .Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").First();

        Assert.Equal("Online Version:", (string?)first.Element(Maml + "linkText"));
        Assert.Equal("https://example.invalid/import", (string?)first.Element(Maml + "uri"));
    }

    [Fact]
    public void OptionalSections_CanBeLeftOut()
    {
        var command = _harness.Page("Get-Thing.md", Pages.Minimal()).CommandElement("Get-Thing");

        Assert.Null(command.Element(Command + "inputTypes"));
        Assert.Null(command.Element(Command + "returnValues"));
        Assert.Null(command.Element(Maml + "alertSet"));
        Assert.Null(command.Element(Command + "relatedLinks"));
        Assert.Equal("true", (string?)Parameter(command, "Name").Attribute("globbing"));
    }

    [Fact]
    public void SeveralPages_BecomeOneMamlFileWithOneCommandEach()
    {
        var doc = _harness
            .Page("Import-FonanaDatabase.md", Pages.Import)
            .Page("Get-Thing.md", Pages.Minimal())
            .Page("Get-Other.md", Pages.Minimal("Get-Other"))
            .CompileMaml();

        Assert.Equal(
            new[] { "Get-Other", "Get-Thing", "Import-FonanaDatabase" },
            doc.Root!.Elements(Command + "command").Select(c => (string?)c.Element(Command + "details")?.Element(Command + "name")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CrlfPages_CompileLikeLfPages()
    {
        var doc = _harness.Page("Import-FonanaDatabase.md", Pages.Import.Replace("\n", "\r\n", StringComparison.Ordinal)).CompileMaml();

        var command = doc.Root!.Element(Command + "command")!;
        Assert.Equal("Import-FonanaDatabase -Path ./fonana.fnz -Target $prod", (string?)command.Element(Command + "examples")!.Element(Command + "example")!.Element(Dev + "code"));
        Assert.Equal(2, command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());
    }

    [Fact]
    public void HeadingLikeLinesInsideCodeFences_StayCode()
    {
        var page = Pages.Import.Replace(
            "```powershell\nImport-FonanaDatabase -Path ./fonana.fnz -Target $prod\n```",
            "```powershell\n# Import everything\n## not a section\nImport-FonanaDatabase -Path ./fonana.fnz -Target $prod\n```",
            StringComparison.Ordinal);
        Assert.NotEqual(Pages.Import, page);

        var example = _harness.Page("Import-FonanaDatabase.md", page).CommandElement()
            .Element(Command + "examples")!.Elements(Command + "example").First();

        Assert.Equal("# Import everything\n## not a section\nImport-FonanaDatabase -Path ./fonana.fnz -Target $prod", (string?)example.Element(Dev + "code"));
    }

    [Theory]
    [InlineData("System.String", "String")]
    [InlineData("System.String[]", "String[]")]
    [InlineData("FonanaMigration.Engine.DatabaseEndpoint", "DatabaseEndpoint")]
    [InlineData("System.Collections.Generic.List`1[System.String]", "List`1[String]")]
    [InlineData("int", "int")]
    public void ParameterValue_UsesTheShortTypeName(string type, string expected) =>
        Assert.Equal(expected, MamlWriter.ShortTypeName(type));

    internal static XElement Parameter(XElement command, string name) =>
        command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => (string?)p.Element(Maml + "name") == name);

    internal static IEnumerable<XElement> SyntaxParameters(XElement command, int syntaxItem) =>
        command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ElementAt(syntaxItem).Elements(Command + "parameter");
}
