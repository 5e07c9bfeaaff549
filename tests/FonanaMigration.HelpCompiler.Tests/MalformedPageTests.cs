using static FonanaMigration.HelpCompiler.Tests.CompilerHarness;

namespace FonanaMigration.HelpCompiler.Tests;

/// <summary>Broken pages must fail the build with "path:line: error: message" and write nothing.</summary>
public sealed class MalformedPageTests : IDisposable
{
    private const string File = "Import-FonanaDatabase.md";
    private readonly CompilerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string Remove(string page, string text)
    {
        var result = page.Replace(text, string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(page, result);
        return result;
    }

    private static string Swap(string page, string from, string to)
    {
        var result = page.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(page, result);
        return result;
    }

    /// <summary>Compiles <paramref name="page"/> and asserts exactly that error line was printed.</summary>
    private void AssertFails(string page, int line, string messagePart)
    {
        _harness.Page(File, page).Run();

        Assert.Equal(1, _harness.ExitCode);
        var expectedPrefix = $"{_harness.PagePath(File)}:{line}: error: ";
        Assert.True(
            _harness.ErrorLines.Any(l => l.StartsWith(expectedPrefix, StringComparison.Ordinal) && l.Contains(messagePart, StringComparison.Ordinal)),
            $"expected '{expectedPrefix}...{messagePart}...' in:\n{_harness.StdErr}");
        Assert.False(System.IO.File.Exists(_harness.OutputPath), "a failed compile must not write the MAML file");
    }

    [Fact]
    public void MissingSynopsis_FailsWithFileAndLine()
    {
        var page = Remove(Pages.Import, "## SYNOPSIS\n\nLoads an export archive into a target database in one all-or-nothing transaction.\n\n");
        AssertFails(page, LineOf(page, "# Import-FonanaDatabase"), "missing '## SYNOPSIS' section");
    }

    [Fact]
    public void EmptySynopsis_FailsAtItsHeading()
    {
        var page = Remove(Pages.Import, "Loads an export archive into a target database in one all-or-nothing transaction.\n\n");
        AssertFails(page, LineOf(page, "## SYNOPSIS"), "'## SYNOPSIS' is empty");
    }

    [Fact]
    public void MissingDescription_FailsWithFileAndLine()
    {
        var page = Swap(Pages.Import, "## DESCRIPTION\n", "## ALIASES\n");
        AssertFails(page, LineOf(page, "# Import-FonanaDatabase"), "missing '## DESCRIPTION' section");
    }

    [Fact]
    public void EmptyDescription_FailsAtItsHeading()
    {
        var page = Remove(Pages.Import, "The `Import-FonanaDatabase` cmdlet reads an archive\nand writes every table in **one** transaction.\n\nParagraph two, see [the guide](https://example.invalid/guide).\n\n");
        AssertFails(page, LineOf(page, "## DESCRIPTION"), "'## DESCRIPTION' is empty");
    }

    [Fact]
    public void MissingExamplesSection_Fails()
    {
        var page = Pages.Import[..Pages.Import.IndexOf("## EXAMPLES", StringComparison.Ordinal)]
                   + Pages.Import[Pages.Import.IndexOf("## PARAMETERS", StringComparison.Ordinal)..];
        AssertFails(page, LineOf(page, "# Import-FonanaDatabase"), "missing '## EXAMPLES' section");
    }

    [Fact]
    public void ExamplesSectionWithoutAnExample_FailsAtItsHeading()
    {
        var start = Pages.Import.IndexOf("### Example 1", StringComparison.Ordinal);
        var page = Pages.Import[..start] + Pages.Import[Pages.Import.IndexOf("## PARAMETERS", StringComparison.Ordinal)..];
        AssertFails(page, LineOf(page, "## EXAMPLES"), "has no example");
    }

    [Fact]
    public void ExampleWithoutCodeBlock_FailsAtItsHeading()
    {
        var page = Remove(Pages.Import, "```powershell\nImport-FonanaDatabase -Path ./fonana.fnz -Target $prod\n```\n\n");
        AssertFails(page, LineOf(page, "### Example 1: Import an archive"), "has no code block");
    }

    [Fact]
    public void ParameterWithoutDescription_FailsAtItsHeading()
    {
        var page = Remove(Pages.Import, "Database to import into.\n\n");
        AssertFails(page, LineOf(page, "### -Target"), "parameter -Target has no description");
    }

    [Fact]
    public void ParameterWithoutYamlBlock_FailsAtItsHeading()
    {
        var start = Pages.Import.IndexOf("Shows what would happen.\n\n", StringComparison.Ordinal) + "Shows what would happen.\n\n".Length;
        var end = Pages.Import.IndexOf("### CommonParameters", StringComparison.Ordinal);
        var page = Pages.Import[..start] + Pages.Import[end..];
        AssertFails(page, LineOf(page, "### -WhatIf"), "no ```yaml metadata block");
    }

    [Fact]
    public void UnknownSection_FailsAtItsHeading()
    {
        var page = Swap(Pages.Import, "## NOTES\n", "## REMARKS\n");
        AssertFails(page, LineOf(page, "## REMARKS"), "unknown section '## REMARKS'");
    }

    [Fact]
    public void DuplicateSection_FailsAtTheSecondHeading()
    {
        var page = Pages.Import + "\n## NOTES\n\nAgain.\n";
        AssertFails(page, LineOf(page, "Again.") - 2, "appears twice");
    }

    [Fact]
    public void ParameterSubsectionWithoutDash_FailsAtItsHeading()
    {
        var page = Swap(Pages.Import, "### -Mode\n", "### Mode\n");
        AssertFails(page, LineOf(page, "### Mode"), "must be '### -ParameterName'");
    }

    [Fact]
    public void ParameterInAnUndeclaredSet_FailsAtTheYamlEntry()
    {
        var page = Swap(Pages.Import, "- Name: Stream\n  Position: Named\n  IsRequired: true\n  ValueFromPipeline: true", "- Name: Pipe\n  Position: Named\n  IsRequired: true\n  ValueFromPipeline: true");
        AssertFails(page, LineOf(page, "- Name: Pipe"), "parameter -InputStream is in parameter set 'Pipe'");
    }

    [Fact]
    public void BadPosition_FailsAtItsYamlLine()
    {
        var page = Swap(Pages.Import, "  Position: 0\n", "  Position: first\n");
        AssertFails(page, LineOf(page, "Position: first"), "Position must be 'Named' or a number");
    }

    [Fact]
    public void BadBoolean_FailsAtItsYamlLine()
    {
        var page = Swap(Pages.Import, "DontShow: true\n", "DontShow: maybe\n");
        AssertFails(page, LineOf(page, "DontShow: maybe"), "DontShow must be true or false");
    }

    [Fact]
    public void YamlWithoutType_FailsAtTheYamlBlock()
    {
        var page = Swap(Pages.Import, "Type: System.IO.Stream\n", "Typ: System.IO.Stream\n");
        AssertFails(page, LineOf(page, "Typ: System.IO.Stream") - 1, "has no 'Type:'");
    }

    [Fact]
    public void PlatyPS0xParameterYaml_IsRejectedWithAHint()
    {
        var start = Pages.Import.IndexOf("Type: System.IO.Stream", StringComparison.Ordinal);
        var end = Pages.Import.IndexOf("```", start, StringComparison.Ordinal);
        var page = Pages.Import[..start]
                   + "Type: Stream\nParameter Sets: Stream\nAliases:\n\nRequired: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True (ByValue)\nAccept wildcard characters: False\n"
                   + Pages.Import[end..];
        AssertFails(page, LineOf(page, "Type: Stream") - 1, "PlatyPS 0.x schema");
    }

    [Fact]
    public void UnclosedCodeFence_FailsAtTheOpeningFence()
    {
        var page = Pages.Import + "\n```powershell\nnever closed\n";
        AssertFails(page, LineOf(page, "never closed") - 1, "never closed");
    }

    [Fact]
    public void FrontMatterThatIsNotYaml_FailsAtTheLineYamlRejects()
    {
        // An indented "key: value" under a scalar is no YAML; read leniently, it used to lose the keys silently.
        var page = Swap(Pages.Import, "Locale: en-US\n", "Locale: en-US\n  Owner: docs\n");
        AssertFails(page, LineOf(page, "Owner: docs"), "front matter is not valid YAML");
        Assert.DoesNotContain("skipped", _harness.StdErr);
    }

    [Fact]
    public void UnclosedFrontMatter_FailsAtLineOne()
    {
        var closing = Pages.Import.IndexOf("---\n", 4, StringComparison.Ordinal);
        var page = Pages.Import[..closing] + Pages.Import[(closing + 4)..];
        AssertFails(page, 1, "front matter starting with '---' is never closed");
    }

    [Fact]
    public void UnclosedHtmlComment_FailsAtTheComment()
    {
        var page = Pages.Import + "\n<!-- an authoring note, never closed\n";
        AssertFails(page, LineOf(page, "<!-- an authoring note"), "HTML comment '<!--' is never closed");
    }

    [Fact]
    public void ParameterYamlThatIsNotYaml_FailsAtTheLineYamlRejects()
    {
        var page = Swap(Pages.Import, "Aliases: []\nParameterSets:\n- Name: Stream\n", "Aliases: [in, stream\nParameterSets:\n- Name: Stream\n");
        AssertFails(page, LineOf(page, "Aliases: [in, stream") + 1, "parameter -InputStream: yaml block is not valid YAML");
    }

    [Fact]
    public void ParameterSetEntryWithoutName_FailsAtTheEntry()
    {
        var page = Swap(Pages.Import, "- Name: Stream\n  Position: Named\n", "- Nmae: Stream\n  Position: Named\n");
        AssertFails(page, LineOf(page, "- Nmae: Stream"), "each ParameterSets entry needs '- Name: <set>'");
    }

    [Fact]
    public void LeftoverPlatyPSPlaceholder_Fails()
    {
        var page = Swap(Pages.Import, "A stream.\n", "{{ Fill in the Description }}\n");
        AssertFails(page, LineOf(page, "{{ Fill in the Description }}"), "placeholder");
    }

    [Fact]
    public void TitleNotMatchingFrontMatter_FailsAtTheTitle()
    {
        var page = Swap(Pages.Import, "# Import-FonanaDatabase\n", "# Import-FonanaDb\n");
        AssertFails(page, LineOf(page, "# Import-FonanaDb"), "does not match front matter");
    }

    [Fact]
    public void SyntaxWithoutSetHeadings_Fails()
    {
        var page = Remove(Remove(Pages.Import, "### Path (Default)\n\n"), "### Stream\n\n");
        AssertFails(page, LineOf(page, "## SYNTAX") + 2, "outside a '### ParameterSetName' subsection");
    }

    [Fact]
    public void EveryErrorInEveryPage_IsReported()
    {
        var bad = Remove(Pages.Import, "Database to import into.\n\n");
        bad = Swap(bad, "## NOTES\n", "## REMARKS\n");
        var otherBad = Pages.Minimal().Replace("Name of the thing.\n", string.Empty, StringComparison.Ordinal);
        _harness.Page(File, bad).Page("Get-Thing.md", otherBad).Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.Contains(_harness.ErrorLines, l => l.Contains(File + ":" + LineOf(bad, "### -Target") + ": error: parameter -Target has no description", StringComparison.Ordinal));
        Assert.Contains(_harness.ErrorLines, l => l.Contains(File + ":" + LineOf(bad, "## REMARKS") + ": error: unknown section", StringComparison.Ordinal));
        Assert.Contains(_harness.ErrorLines, l => l.Contains("Get-Thing.md:" + LineOf(otherBad, "### -Name") + ": error: parameter -Name has no description", StringComparison.Ordinal));
        Assert.Contains("help compilation failed: 3 error(s)", _harness.StdErr);
    }

    [Fact]
    public void OneBadPageAmongGoodOnes_StillWritesNothing()
    {
        _harness
            .Page("Get-Thing.md", Pages.Minimal())
            .Page("about_Good.md", Pages.About.Replace("about_FonanaMigration_Archives", "about_Good", StringComparison.Ordinal))
            .Page(File, Remove(Pages.Import, "Database to import into.\n\n"))
            .Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.False(Directory.Exists(_harness.OutputDir) && Directory.EnumerateFileSystemEntries(_harness.OutputDir).Any());
    }

    [Fact]
    public void SameCmdletOnTwoPages_Fails()
    {
        _harness.Page("Get-Thing.md", Pages.Minimal()).Page("Get-Thing2.md", Pages.Minimal()).Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.Contains(_harness.ErrorLines, l => l.Contains("Get-Thing2.md:1: error: cmdlet Get-Thing is already documented", StringComparison.Ordinal));
    }
}
