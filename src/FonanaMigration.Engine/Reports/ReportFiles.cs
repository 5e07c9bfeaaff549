namespace FonanaMigration.Engine.Reports;

/// <summary>
/// Writes a report as three files side by side: NAME.md (CI job summary), NAME.json (machines) and NAME.junit.xml (CI
/// test tabs). The path is either a directory (the files take the report's own name: row-counts, integrity) or a path
/// without extension (a trailing .md, .json or .xml is dropped). Each file appears complete or not at all.
/// </summary>
public static class ReportFiles
{
    public static IReadOnlyList<string> Write(VerificationReport report, string path)
    {
        var basePath = BasePath(report, path);
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(basePath)!);
            written.Add(WriteFile(basePath + ".md", s =>
            {
                using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false));
                MarkdownReportWriter.Write(report, writer);
            }));
            written.Add(WriteFile(basePath + ".json", s => JsonReportWriter.Write(report, s)));
            written.Add(WriteFile(basePath + ".junit.xml", s => JUnitReportWriter.Write(report, s)));
            return written;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(ex is UnauthorizedAccessException ? FailureKind.PermissionDenied : FailureKind.InvalidArgument,
                ErrorIds.ReportWriteFailed, $"The report could not be written to '{basePath}.*': {ex.Message}", path, ex);
        }
    }

    /// <summary>The full path of the three files without their extensions.</summary>
    public static string BasePath(VerificationReport report, string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
            return Path.Combine(full, report.Name);
        foreach (var extension in new[] { ".junit.xml", ".md", ".json", ".xml" })
            if (full.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) return full[..^extension.Length];
        return full;
    }

    private static string WriteFile(string path, Action<Stream> write)
    {
        var partial = path + ".partial";
        using (var stream = File.Create(partial))
            write(stream);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
