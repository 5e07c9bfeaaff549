using System.Text;
using FonanaMigration.HelpCompiler.Markdown;
using FonanaMigration.HelpCompiler.Model;

namespace FonanaMigration.HelpCompiler;

/// <summary>
/// <c>dotnet FonanaMigration.HelpCompiler.dll &lt;markdownDir&gt; &lt;outputMamlPath&gt;</c>.
/// Exit codes: 0 help written; 1 a page is malformed (each problem printed as <c>path:line: error: message</c>,
/// nothing written); 2 bad arguments or unreadable input/output.
/// </summary>
public static class HelpCompilerCli
{
    public const int Success = 0;
    public const int InvalidPages = 1;
    public const int UsageError = 2;

    private const string Usage =
        "usage: dotnet FonanaMigration.HelpCompiler.dll <markdownDir> <outputMamlPath>\n" +
        "  Compiles the PlatyPS 1.x Markdown pages (schema 2024-05-01) in <markdownDir> into one MAML file\n" +
        "  (e.g. en-US/FonanaMigration.dll-Help.xml) for the cmdlet pages, and about_*.help.txt files next to it\n" +
        "  for about_ pages and the module page.";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 1 && args[0] is "-h" or "--help" or "-?" or "/?")
        {
            stdout.WriteLine(Usage);
            return Success;
        }

        if (args.Length != 2)
        {
            stderr.WriteLine(Usage);
            return UsageError;
        }

        var markdownDir = args[0];
        var outputPath = args[1];
        if (!Directory.Exists(markdownDir))
        {
            stderr.WriteLine($"{markdownDir}: error: markdown directory not found");
            return UsageError;
        }

        var result = Compile(markdownDir, Path.GetFileName(outputPath));
        foreach (var diagnostic in result.Diagnostics.OrderBy(d => d.Path, StringComparer.Ordinal).ThenBy(d => d.Line))
        {
            stderr.WriteLine(diagnostic.ToString());
        }

        int errors = result.Diagnostics.Count(d => d.Severity == Severity.Error);
        if (errors > 0)
        {
            stderr.WriteLine($"help compilation failed: {errors} error(s); nothing was written");
            return InvalidPages;
        }

        try
        {
            var outputDir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
            Directory.CreateDirectory(outputDir);
            MamlWriter.Write(MamlWriter.Build(result.Commands), outputPath);
            foreach (var topic in result.Topics)
            {
                File.WriteAllText(Path.Combine(outputDir, topic.FileName), topic.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{outputPath}: error: cannot write help: {ex.Message}");
            return UsageError;
        }

        stdout.WriteLine($"wrote {outputPath} ({result.Commands.Count} cmdlet(s))");
        foreach (var topic in result.Topics)
        {
            stdout.WriteLine($"wrote {Path.Combine(Path.GetDirectoryName(outputPath) ?? string.Empty, topic.FileName)}");
        }

        return Success;
    }

    internal sealed record CompileResult(List<CommandHelp> Commands, List<AboutTopic> Topics, List<Diagnostic> Diagnostics);

    /// <summary>Reads and checks every page; writes nothing.</summary>
    internal static CompileResult Compile(string markdownDir, string mamlFileName)
    {
        var all = new List<Diagnostic>();
        var commands = new List<CommandHelp>();
        var topics = new List<AboutTopic>();

        var files = Directory.GetFiles(markdownDir, "*.md", SearchOption.TopDirectoryOnly)
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal);
        foreach (var file in files)
        {
            var displayPath = Path.Combine(markdownDir, Path.GetFileName(file));
            var diagnostics = new Diagnostics(displayPath, all);
            var document = MarkdownDocument.Parse(File.ReadAllText(file), diagnostics);
            document.FrontMatter.TryGetValue("document type", out var documentType);
            var baseName = Path.GetFileNameWithoutExtension(file);

            if (string.Equals(documentType, "cmdlet", StringComparison.OrdinalIgnoreCase))
            {
                if (document.FrontMatter.TryGetValue("external help file", out var helpFile) && helpFile.Length > 0
                    && !string.Equals(helpFile, mamlFileName, StringComparison.OrdinalIgnoreCase))
                {
                    diagnostics.Warning(1, $"front matter says 'external help file: {helpFile}' but help is being compiled into '{mamlFileName}'");
                }

                var command = CmdletPageParser.Parse(document, diagnostics);
                if (command is null)
                {
                    continue;
                }

                var clash = commands.FirstOrDefault(c => string.Equals(c.Name, command.Name, StringComparison.OrdinalIgnoreCase));
                if (clash is not null)
                {
                    diagnostics.Error(1, $"cmdlet {command.Name} is already documented by {clash.SourcePath}");
                    continue;
                }

                commands.Add(command);
            }
            else if (string.Equals(documentType, "module", StringComparison.OrdinalIgnoreCase)
                     || baseName.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                var topic = string.Equals(documentType, "module", StringComparison.OrdinalIgnoreCase)
                    ? AboutTopicWriter.FromModulePage(document, diagnostics)
                    : AboutTopicWriter.FromAboutPage(document, baseName, diagnostics);
                if (topic is null)
                {
                    continue;
                }

                var clash = topics.FirstOrDefault(t => string.Equals(t.Name, topic.Name, StringComparison.OrdinalIgnoreCase));
                if (clash is not null)
                {
                    diagnostics.Error(1, $"{topic.FileName} would also be written from {clash.SourcePath}");
                    continue;
                }

                topics.Add(topic);
            }
            else if (!diagnostics.HasErrors) // a page whose front matter could not be read has failed already, not been skipped
            {
                diagnostics.Warning(1, "skipped: not a cmdlet page ('document type: cmdlet'), a module page ('document type: module') or an about_ page");
            }
        }

        if (commands.Count == 0 && !all.Any(d => d.Severity == Severity.Error))
        {
            all.Add(new Diagnostic(markdownDir, 1, Severity.Error, "no cmdlet pages ('document type: cmdlet') found; refusing to write an empty help file"));
        }

        return new CompileResult(commands, topics, all);
    }
}
