using FonanaMigration.Engine.Integrity;

namespace FonanaMigration.Engine.Reports;

/// <summary>
/// Test-FonanaIntegrity's inspection as a report: a section per check, a case per table the check ran on. A case fails
/// when it has an Error finding and warns for a Warning; tables without findings are listed as clean.
/// </summary>
public static class IntegrityReport
{
    public static VerificationReport From(IntegrityTestResult inspection)
    {
        var sections = new List<ReportSection>();
        foreach (var check in Enum.GetValues<IntegrityCheck>())
        {
            var findings = inspection.Findings.Where(f => f.Check == check).ToList();
            var tables = inspection.Runs.Where(r => r.Check == check).Select(r => r.Table)
                .Concat(findings.Select(f => f.Table)).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToList();
            if (tables.Count == 0) continue;
            sections.Add(new ReportSection
            {
                Name = check.ToString(),
                Columns = new[] { "Table", "Column", "Count", "Of", "Sample", "Message" },
                Cases = tables.Select(t => Case(t, findings.Where(f => f.Table == t).ToList())).ToList(),
            });
        }
        return new VerificationReport
        {
            Name = "integrity",
            Title = "Integrity",
            Target = inspection.Target,
            ComparedWith = inspection.Source is null ? null : $"source {inspection.Source} (timestamps)",
            Elapsed = inspection.Elapsed,
            Sections = sections,
            Results = inspection.Findings.Cast<object>().ToList(),
        };
    }

    private static ReportOutcome OutcomeOf(IntegritySeverity severity) => severity switch
    {
        IntegritySeverity.Error => ReportOutcome.Failed,
        IntegritySeverity.Warning => ReportOutcome.Warning,
        _ => ReportOutcome.Passed,
    };

    private static ReportCase Case(string table, List<IntegrityFinding> findings)
    {
        if (findings.Count == 0)
            return new ReportCase { Name = table, Outcome = ReportOutcome.Passed };
        var outcome = findings.Select(f => OutcomeOf(f.Severity)).Max();
        return new ReportCase
        {
            Name = table,
            Outcome = outcome,
            Message = outcome == ReportOutcome.Passed ? null
                : string.Join("\n", findings.Where(f => f.Severity != IntegritySeverity.Info).Select(f => $"{f.Severity} {f.Column}: {f.Message}")),
            Rows = findings.Select(f => new ReportRow(OutcomeOf(f.Severity), new[]
            {
                table, f.Column ?? "", f.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                f.Examined?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", string.Join(", ", f.Sample), f.Message,
            })).ToList(),
        };
    }
}
