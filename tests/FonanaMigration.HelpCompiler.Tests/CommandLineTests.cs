using System.Diagnostics;

namespace FonanaMigration.HelpCompiler.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly CompilerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void WrongArgumentCount_PrintsUsageAndExitsTwo()
    {
        var stderr = new StringWriter();

        var exit = HelpCompilerCli.Run(new[] { _harness.MarkdownDir }, TextWriter.Null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("usage: dotnet FonanaMigration.HelpCompiler.dll <markdownDir> <outputMamlPath>", stderr.ToString());
    }

    [Fact]
    public void MissingMarkdownDirectory_ExitsTwo()
    {
        var stderr = new StringWriter();

        var exit = HelpCompilerCli.Run(new[] { Path.Combine(_harness.Root, "nope"), _harness.OutputPath }, TextWriter.Null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("markdown directory not found", stderr.ToString());
    }

    [Fact]
    public void DirectoryWithoutCmdletPages_FailsInsteadOfWritingEmptyHelp()
    {
        _harness.Page("README.md", "# Notes\n\nNot help.\n").Run();

        Assert.Equal(1, _harness.ExitCode);
        Assert.Contains("README.md:1: warning: skipped: not a cmdlet page", _harness.StdErr);
        Assert.Contains(_harness.MarkdownDir + ":1: error: no cmdlet pages", _harness.StdErr);
        Assert.False(File.Exists(_harness.OutputPath));
    }

    [Fact]
    public void PagesThatAreNotHelp_AreSkippedWithAWarning()
    {
        _harness.Page("Get-Thing.md", Pages.Minimal()).Page("README.md", "# Notes\n").Run();

        Assert.Equal(0, _harness.ExitCode);
        Assert.Contains("README.md:1: warning: skipped", _harness.StdErr);
    }

    [Fact]
    public void ExternalHelpFileOtherThanTheOutput_Warns()
    {
        _harness.Page("Import-FonanaDatabase.md", Pages.Import.Replace("FonanaMigration.dll-Help.xml", "Other.dll-Help.xml", StringComparison.Ordinal)).Run();

        Assert.Equal(0, _harness.ExitCode);
        Assert.Contains("warning: front matter says 'external help file: Other.dll-Help.xml'", _harness.StdErr);
    }

    [Fact]
    public void Success_CreatesTheOutputFolderAndReportsWhatItWrote()
    {
        _harness.Page("Import-FonanaDatabase.md", Pages.Import).Page("about_FonanaMigration_Archives.md", Pages.About).Run();

        Assert.Equal(0, _harness.ExitCode);
        Assert.True(File.Exists(_harness.OutputPath));
        Assert.True(File.Exists(Path.Combine(_harness.OutputDir, "about_FonanaMigration_Archives.help.txt")));
        Assert.Contains("(1 cmdlet(s))", _harness.StdOut);
        Assert.Equal(string.Empty, _harness.StdErr);
    }

    [Fact]
    public void BuiltProgram_RunsUnderDotnet_AndReturnsOneForABadPage()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FonanaMigration.HelpCompiler.dll");
        Assert.True(File.Exists(dll), dll);
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), "runtimeconfig.json of the compiler is not next to it");

        _harness.Page("Get-Thing.md", Pages.Minimal());
        var ok = RunDotnet(dll, _harness.MarkdownDir, _harness.OutputPath);
        Assert.True(ok.ExitCode == 0, ok.StdErr);
        Assert.True(File.Exists(_harness.OutputPath));

        _harness.Page("Get-Thing.md", Pages.Minimal().Replace("## SYNOPSIS\n\nGets a thing.\n\n", string.Empty, StringComparison.Ordinal));
        var bad = RunDotnet(dll, _harness.MarkdownDir, _harness.OutputPath + ".2");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Get-Thing.md:6: error: missing '## SYNOPSIS' section", bad.StdErr);
    }

    private static (int ExitCode, string StdErr) RunDotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "compiler did not exit within 60 s");
        return (process.ExitCode, stderr.Result);
    }
}
