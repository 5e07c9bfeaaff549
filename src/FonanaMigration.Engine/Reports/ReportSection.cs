namespace FonanaMigration.Engine.Reports;

/// <summary>One kind of check in a report: a Markdown table and a JUnit testsuite.</summary>
public sealed class ReportSection
{
    public string Name { get; init; } = "";
    /// <summary>Headers of the Markdown table, after the outcome column.</summary>
    public IReadOnlyList<string> Columns { get; init; } = Array.Empty<string>();
    public IReadOnlyList<ReportCase> Cases { get; init; } = Array.Empty<ReportCase>();

    public int Failures => Cases.Count(c => c.Outcome == ReportOutcome.Failed);
    public int Warnings => Cases.Count(c => c.Outcome == ReportOutcome.Warning);
}
