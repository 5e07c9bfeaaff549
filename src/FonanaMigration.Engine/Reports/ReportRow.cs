namespace FonanaMigration.Engine.Reports;

/// <summary>One line of a report table: the outcome it shows and its cells, in the order of the section's columns.</summary>
public sealed record ReportRow(ReportOutcome Outcome, IReadOnlyList<string> Cells);
