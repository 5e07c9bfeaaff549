using System.Globalization;
using System.Text;

namespace FonanaMigration.Engine.Reports;

/// <summary>
/// The report for people, shaped as a CI job summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab, Azure DevOps): a PASS/FAIL
/// headline, then a table per section with failures first, then warnings, then what passed.
/// </summary>
public static class MarkdownReportWriter
{
    public static void Write(VerificationReport report, TextWriter writer)
    {
        writer.NewLine = "\n";
        writer.WriteLine($"# {(report.Passed ? "✅ PASS" : "❌ FAIL")}: {Escape(report.Title)} of {Code(report.Target)}");
        writer.WriteLine();
        var facts = new List<string>
        {
            $"{report.Tests} check(s), {report.Failures} failed, {report.Warnings} warning(s)",
        };
        if (report.ComparedWith is not null) facts.Add("compared with " + Escape(report.ComparedWith));
        facts.Add(report.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        if (report.Elapsed is { } elapsed) facts.Add($"{elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        facts.Add($"FonanaMigration {report.ToolVersion}");
        writer.WriteLine(string.Join(" · ", facts));

        foreach (var section in report.Sections)
        {
            writer.WriteLine();
            var counts = section.Failures > 0 ? $"{section.Failures} failed of {section.Cases.Count}"
                : section.Warnings > 0 ? $"{section.Warnings} warning(s) of {section.Cases.Count}" : $"all {section.Cases.Count} passed";
            writer.WriteLine($"## {Escape(section.Name)} ({counts})");
            writer.WriteLine();
            writer.WriteLine("| Result | " + string.Join(" | ", section.Columns.Select(Escape)) + " |");
            writer.WriteLine("|---" + string.Concat(section.Columns.Select(_ => "|---")) + "|");
            // Worst first; within an outcome, the order the section gave.
            foreach (var row in section.Cases.SelectMany(c => c.Rows).Select((r, i) => (r, i)).OrderByDescending(x => x.r.Outcome).ThenBy(x => x.i).Select(x => x.r))
                writer.WriteLine($"| {Icon(row.Outcome)} | " + string.Join(" | ", row.Cells.Select(Escape)) + " |");
            // Cases with nothing to show (a clean table) share one line, so the findings are not lost among them.
            var quiet = section.Cases.Where(c => c.Rows.Count == 0).Select(c => c.Name).ToList();
            if (quiet.Count > 0 && section.Columns.Count > 0)
            {
                var cells = new string[section.Columns.Count];
                Array.Fill(cells, "");
                cells[0] = string.Join(", ", quiet.Select(Escape));
                cells[^1] = quiet.Count == 1 ? "no findings" : $"no findings in these {quiet.Count}";
                writer.WriteLine($"| {Icon(ReportOutcome.Passed)} | " + string.Join(" | ", cells) + " |");
            }
        }
    }

    public static string ToText(VerificationReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    private static string Icon(ReportOutcome outcome) => outcome switch
    {
        ReportOutcome.Failed => "❌ fail",
        ReportOutcome.Warning => "⚠️ warn",
        _ => "✅ pass",
    };

    private static string Code(string text) => "`" + text.Replace("`", "'") + "`";

    /// <summary>Table cells: characters Markdown would read as markup are escaped, line breaks become &lt;br&gt;.</summary>
    internal static string Escape(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '|' or '[' or ']' or '#': result.Append('\\').Append(c); break;
                case '<': result.Append("&lt;"); break;
                case '>': result.Append("&gt;"); break;
                case '\n': result.Append("<br>"); break;
                case '\r': break;
                default: result.Append(c); break;
            }
        }
        return result.ToString();
    }
}
