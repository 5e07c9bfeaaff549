using System.Text;

namespace FonanaMigration.HelpCompiler.Tests;

public sealed class AboutTopicTests : IDisposable
{
    private readonly CompilerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private string[] CompileTopic(string fileName, string page, string topicFile)
    {
        _harness.Page("Get-Thing.md", Pages.Minimal()).Page(fileName, page).Run();
        Assert.True(_harness.ExitCode == 0, _harness.StdErr);
        var path = Path.Combine(_harness.OutputDir, topicFile);
        Assert.True(File.Exists(path), $"{topicFile} not written; stdout:\n{_harness.StdOut}");
        return File.ReadAllText(path, Encoding.UTF8).Split('\n');
    }

    [Fact]
    public void AboutPage_BecomesHelpTxtNextToTheMamlFile_WithShortDescriptionOnLineFive()
    {
        var lines = CompileTopic("about_FonanaMigration_Archives.md", Pages.About, "about_FonanaMigration_Archives.help.txt");

        // Get-Help takes line 5 of an about_ file as the topic's synopsis.
        Assert.Equal("TOPIC", lines[0]);
        Assert.Equal("    about_FonanaMigration_Archives", lines[1]);
        Assert.Equal(string.Empty, lines[2]);
        Assert.Equal("SHORT DESCRIPTION", lines[3]);
        Assert.Equal("    Describes the archive format that `Export-FonanaDatabase` writes.", lines[4]);
    }

    [Fact]
    public void AboutPage_StripsMarkdownAndKeepsParagraphsUnwrapped()
    {
        var text = string.Join("\n", CompileTopic("about_FonanaMigration_Archives.md", Pages.About, "about_FonanaMigration_Archives.help.txt"));

        Assert.Contains(
            "LONG DESCRIPTION\n    An archive is a zip file; see Export-FonanaDatabase and the spec (https://example.invalid/spec).\n",
            text);
        Assert.Contains("\n        Export-FonanaDatabase -Path ./a.fnz\n", text); // code indented, fences gone
        Assert.Contains("\n    Layout\n        - manifest.json\n        - one file per table\n", text);
        Assert.Contains("\nSEE ALSO\n    - Import-FonanaDatabase\n", text);
        Assert.DoesNotContain("```", text);
        Assert.DoesNotContain("**", text);
        Assert.DoesNotContain("](", text);
        Assert.DoesNotContain("document type", text);
    }

    [Fact]
    public void ModulePage_BecomesAboutModuleNameTopic()
    {
        var lines = CompileTopic("FonanaMigration.md", Pages.Module, "about_FonanaMigration.help.txt");
        var text = string.Join("\n", lines);

        Assert.Equal("    about_FonanaMigration", lines[1]);
        Assert.Equal("    Moves Fonana databases between servers.", lines[4]);
        Assert.Contains("LONG DESCRIPTION\n    Moves Fonana databases between servers.\n\n    Everything runs in one transaction.\n", text);
        Assert.Contains("FONANAMIGRATION CMDLETS\n    Import-FonanaDatabase\n        Loads an export archive into a target database.\n", text);
    }

    [Fact]
    public void AboutPageWithoutShortDescription_Fails()
    {
        var page = Pages.About.Replace("## Short Description\n\nDescribes the **archive** format\nthat `Export-FonanaDatabase` writes.\n\n", string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(Pages.About, page);
        _harness.Page("Get-Thing.md", Pages.Minimal()).Page("about_FonanaMigration_Archives.md", page).Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.Contains(_harness.ErrorLines, l => l.Contains("about_FonanaMigration_Archives.md:" + CompilerHarness.LineOf(page, "# about_") + ": error: about page needs a non-empty '## Short Description'", StringComparison.Ordinal));
    }

    [Fact]
    public void ModulePageWithPlaceholderDescription_Fails()
    {
        var page = Pages.Module.Replace("Moves Fonana databases between servers.", "{{ Fill in the Description }}", StringComparison.Ordinal);
        _harness.Page("Get-Thing.md", Pages.Minimal()).Page("FonanaMigration.md", page).Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.Contains(_harness.ErrorLines, l => l.Contains("FonanaMigration.md:" + CompilerHarness.LineOf(page, "{{ Fill") + ": error: PlatyPS placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void ModulePageAndAboutPageForTheSameTopic_Fail()
    {
        var about = Pages.About.Replace("about_FonanaMigration_Archives", "about_FonanaMigration", StringComparison.Ordinal);
        _harness.Page("Get-Thing.md", Pages.Minimal()).Page("FonanaMigration.md", Pages.Module).Page("about_FonanaMigration.md", about).Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.Contains("about_FonanaMigration.help.txt would also be written from", _harness.StdErr);
    }
}
