using System.Xml.Linq;
using static FonanaMigration.HelpCompiler.Tests.CompilerHarness;
using static FonanaMigration.HelpCompiler.Tests.MamlOutputTests;

namespace FonanaMigration.HelpCompiler.Tests;

public sealed class SyntaxTests : IDisposable
{
    private readonly CompilerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private XElement ImportCommand() => _harness.Page("Import-FonanaDatabase.md", Pages.Import).CommandElement();

    private static string[] Names(IEnumerable<XElement> parameters) =>
        parameters.Select(p => (string?)p.Element(Maml + "name") ?? string.Empty).ToArray();

    [Fact]
    public void EachSyntaxHeading_BecomesOneSyntaxItemNamedAfterTheCmdlet()
    {
        var items = ImportCommand().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();

        Assert.Equal(2, items.Length);
        Assert.All(items, i => Assert.Equal("Import-FonanaDatabase", (string?)i.Element(Maml + "name")));
    }

    [Fact]
    public void SyntaxItem_ListsOnlyTheParametersOfItsSet_InTheOrderTheSyntaxBlockShows()
    {
        var command = ImportCommand();

        Assert.Equal(new[] { "Path", "Target", "Mode", "Force", "WhatIf" }, Names(SyntaxParameters(command, 0)));
        Assert.Equal(new[] { "InputStream", "Target", "Mode", "Force", "WhatIf" }, Names(SyntaxParameters(command, 1)));
    }

    [Fact]
    public void Parameter_InTwoSets_AppearsInBothSyntaxItems()
    {
        var command = ImportCommand();

        var inPath = SyntaxParameters(command, 0).Single(p => (string?)p.Element(Maml + "name") == "Target");
        var inStream = SyntaxParameters(command, 1).Single(p => (string?)p.Element(Maml + "name") == "Target");
        Assert.Equal("True (ByPropertyName)", (string?)inPath.Attribute("pipelineInput"));
        Assert.Equal("False", (string?)inStream.Attribute("pipelineInput"));
        Assert.Equal("true", (string?)inPath.Attribute("required"));
        Assert.Equal("true", (string?)inStream.Attribute("required"));
    }

    [Fact]
    public void AllSetsEntry_PutsTheParameterInEverySyntaxItem()
    {
        var command = ImportCommand();

        Assert.Contains("Mode", Names(SyntaxParameters(command, 0)));
        Assert.Contains("Mode", Names(SyntaxParameters(command, 1)));
    }

    [Fact]
    public void SyntaxParameter_CarriesRequiredPositionAndPipelineInputOfItsSet()
    {
        var path = SyntaxParameters(ImportCommand(), 0).First();

        Assert.Equal("Path", (string?)path.Element(Maml + "name"));
        Assert.Equal("true", (string?)path.Attribute("required"));
        Assert.Equal("0", (string?)path.Attribute("position"));
        Assert.Equal("True (ByValue, ByPropertyName)", (string?)path.Attribute("pipelineInput"));
        Assert.Equal("false", (string?)path.Attribute("globbing"));
        Assert.Equal("FullName, p", (string?)path.Attribute("aliases"));
        Assert.Equal("String", path.Element(Command + "parameterValue")?.Value);
    }

    [Fact]
    public void SwitchParameter_HasNoParameterValueInSyntax()
    {
        var force = SyntaxParameters(ImportCommand(), 0).Single(p => (string?)p.Element(Maml + "name") == "Force");

        Assert.Null(force.Element(Command + "parameterValue"));
        Assert.Equal("System.Management.Automation.SwitchParameter", (string?)force.Element(Dev + "type")?.Element(Maml + "name"));
        Assert.Equal("false", (string?)force.Attribute("required"));
        Assert.Equal("named", (string?)force.Attribute("position"));
    }

    [Fact]
    public void DontShowParameter_IsLeftOutOfSyntax()
    {
        var command = ImportCommand();

        Assert.DoesNotContain("Secret", Names(SyntaxParameters(command, 0)));
        Assert.DoesNotContain("Secret", Names(SyntaxParameters(command, 1)));
    }

    [Fact]
    public void SyntaxWithoutCodeBlock_OrdersByPositionThenRequiredness_AndWarns()
    {
        var page = Pages.Import.Replace(
            "```\nImport-FonanaDatabase [-Path] <string> -Target <DatabaseEndpoint> [-Mode <string>] [-Force] [-WhatIf] [<CommonParameters>]\n```\n",
            string.Empty,
            StringComparison.Ordinal);
        Assert.NotEqual(Pages.Import, page);

        var command = _harness.Page("Import-FonanaDatabase.md", page).CommandElement();

        Assert.Equal(new[] { "Path", "Target", "Mode", "Force", "WhatIf" }, Names(SyntaxParameters(command, 0)));
        Assert.Contains("warning: parameter set 'Path' has no syntax code block", _harness.StdErr);
    }

    [Fact]
    public void SyntaxShowingAnUndocumentedParameter_WarnsButCompiles()
    {
        var page = Pages.Import.Replace("[-Force] [-WhatIf] [<CommonParameters>]", "[-Force] [-WhatIf] [-Confirm] [<CommonParameters>]", StringComparison.Ordinal);

        _harness.Page("Import-FonanaDatabase.md", page).CompileMaml();

        Assert.Equal(0, _harness.ExitCode);
        Assert.Contains("Import-FonanaDatabase.md:" + LineOf(page, "### Path (Default)") + ": warning: syntax of set 'Path' shows -Confirm", _harness.StdErr);
    }

    [Fact]
    public void AllParameterSetsHeading_HoldsEveryParameter()
    {
        var command = _harness.Page("Get-Thing.md", Pages.Minimal()).CommandElement("Get-Thing");

        var item = Assert.Single(command.Element(Command + "syntax")!.Elements(Command + "syntaxItem"));
        Assert.Equal(new[] { "Name" }, Names(item.Elements(Command + "parameter")));
    }

    [Theory]
    [InlineData(false, false, "False")]
    [InlineData(true, false, "True (ByValue)")]
    [InlineData(false, true, "True (ByPropertyName)")]
    [InlineData(true, true, "True (ByValue, ByPropertyName)")]
    public void PipelineInput_IsWrittenTheWayGetHelpShowsIt(bool byValue, bool byPropertyName, string expected) =>
        Assert.Equal(expected, MamlWriter.PipelineInput(byValue, byPropertyName));
}
