using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Reports;

/// <summary>The report for machines: the summary, every case, and every result object with all its properties.</summary>
public static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Cyrillic and emoji stay readable; the file is UTF-8 and never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Write(VerificationReport report, Stream stream)
    {
        var document = new
        {
            report = report.Name,
            title = report.Title,
            passed = report.Passed,
            target = report.Target,
            comparedWith = report.ComparedWith,
            createdAt = report.CreatedAt,
            elapsedSeconds = report.Elapsed?.TotalSeconds,
            toolVersion = report.ToolVersion,
            summary = new { tests = report.Tests, failures = report.Failures, warnings = report.Warnings },
            sections = report.Sections.Select(s => new
            {
                name = s.Name,
                tests = s.Cases.Count,
                failures = s.Failures,
                warnings = s.Warnings,
                cases = s.Cases.Select(c => new { name = c.Name, outcome = c.Outcome, message = c.Message }),
            }),
            // Declared as object, so each result is written with the properties of its own type.
            results = report.Results,
        };
        JsonSerializer.Serialize(stream, document, Options);
    }
}
