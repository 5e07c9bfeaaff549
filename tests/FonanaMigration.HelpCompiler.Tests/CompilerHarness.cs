using System.Xml.Linq;

namespace FonanaMigration.HelpCompiler.Tests;

/// <summary>Writes pages into a fresh temporary folder and runs the compiler's entry point on it.</summary>
internal sealed class CompilerHarness : IDisposable
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public CompilerHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "helpcompiler-tests-" + Guid.NewGuid().ToString("N"));
        MarkdownDir = Path.Combine(Root, "md");
        Directory.CreateDirectory(MarkdownDir);
        OutputPath = Path.Combine(Root, "out", "en-US", "FonanaMigration.dll-Help.xml");
    }

    public string Root { get; }

    public string MarkdownDir { get; }

    public string OutputPath { get; }

    public string OutputDir => Path.GetDirectoryName(OutputPath)!;

    public int ExitCode { get; private set; }

    public string StdOut { get; private set; } = string.Empty;

    public string StdErr { get; private set; } = string.Empty;

    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error: ", StringComparison.Ordinal)).ToArray();

    public string PagePath(string fileName) => Path.Combine(MarkdownDir, fileName);

    public CompilerHarness Page(string fileName, string text)
    {
        File.WriteAllText(PagePath(fileName), text);
        return this;
    }

    public CompilerHarness Run()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        ExitCode = HelpCompilerCli.Run(new[] { MarkdownDir, OutputPath }, stdout, stderr);
        StdOut = stdout.ToString();
        StdErr = stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return this;
    }

    /// <summary>Runs and insists on success, returning the written MAML.</summary>
    public XDocument CompileMaml()
    {
        Run();
        Assert.True(ExitCode == 0, $"compiler failed with {ExitCode}:\n{StdErr}");
        return XDocument.Load(OutputPath);
    }

    public XElement CommandElement(string name = "Import-FonanaDatabase") =>
        CompileMaml().Root!.Elements(Command + "command").Single(c => (string?)c.Element(Command + "details")?.Element(Command + "name") == name);

    /// <summary>1-based line of the first line of <paramref name="fileText"/> containing <paramref name="needle"/>.</summary>
    public static int LineOf(string fileText, string needle)
    {
        var lines = fileText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(needle, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException($"'{needle}' not in page");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
