using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Reports;

/// <summary>Assert-FonanaRowCount's comparisons as a report: one section for tables, one for queries.</summary>
public static class RowCountReport
{
    public static VerificationReport From(IReadOnlyList<RowCountComparison> comparisons, string target, string? comparedWith)
    {
        var sections = new List<ReportSection>();
        foreach (var kind in new[] { "Table", "Query" })
        {
            var items = comparisons.Where(c => c.Kind == kind).ToList();
            if (items.Count == 0) continue;
            sections.Add(new ReportSection
            {
                Name = kind == "Table" ? "Tables" : "Queries",
                Columns = new[] { "Name", "Expected", "Actual", "Checksum", "Note" },
                Cases = items.Select(Case).ToList(),
            });
        }
        return new VerificationReport
        {
            Name = "row-counts",
            Title = "Row counts",
            Target = target,
            ComparedWith = comparedWith,
            Sections = sections,
            Results = comparisons.Cast<object>().ToList(),
        };
    }

    private static ReportCase Case(RowCountComparison c)
    {
        var outcome = c.Match ? ReportOutcome.Passed : ReportOutcome.Failed;
        var checksum = c.ChecksumMatch switch { true => "equal", false => "DIFFERENT", null => "" };
        var message = c.Match ? null
            : $"expected {c.Expected?.ToString() ?? "?"}, found {c.Actual?.ToString() ?? "?"}" + (c.ChecksumMatch == false ? ", content differs" : "") + (c.Note is null ? "" : ". " + c.Note);
        return new ReportCase
        {
            Name = c.Name,
            Outcome = outcome,
            Message = message,
            Rows = new[] { new ReportRow(outcome, new[] { c.Name, c.Expected?.ToString() ?? "", c.Actual?.ToString() ?? "", checksum, c.Note ?? "" }) },
        };
    }
}
