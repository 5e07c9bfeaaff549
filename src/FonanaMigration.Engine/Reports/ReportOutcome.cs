namespace FonanaMigration.Engine.Reports;

/// <summary>How one check came out in a report. Only Failed fails the report (and is a JUnit failure).</summary>
public enum ReportOutcome { Passed, Warning, Failed }
