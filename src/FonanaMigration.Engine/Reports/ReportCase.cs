namespace FonanaMigration.Engine.Reports;

/// <summary>
/// One check of one thing (a table's count, an integrity check of a table): a JUnit testcase, and one or more lines of
/// a Markdown table (an integrity check can find several problems in one table).
/// </summary>
public sealed class ReportCase
{
    /// <summary>What was checked: a table (schema.table) or a query's name.</summary>
    public string Name { get; init; } = "";
    public ReportOutcome Outcome { get; init; }
    /// <summary>Why it failed or warned; null when it passed.</summary>
    public string? Message { get; init; }
    /// <summary>Table lines; none for a case with nothing to show, which Markdown lists with the other quiet cases on one line.</summary>
    public IReadOnlyList<ReportRow> Rows { get; init; } = Array.Empty<ReportRow>();
}
