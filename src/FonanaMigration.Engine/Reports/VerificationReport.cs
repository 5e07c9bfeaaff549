namespace FonanaMigration.Engine.Reports;

/// <summary>
/// The result of a verification cmdlet in a form the report writers share: sections of cases for people (Markdown) and
/// CI (JUnit), plus the raw result objects for machines (JSON). Endpoints appear only as DisplayName, without password.
/// </summary>
public sealed class VerificationReport
{
    /// <summary>The file name used when -ReportPath is a directory: row-counts, integrity.</summary>
    public string Name { get; init; } = "report";
    public string Title { get; init; } = "";
    /// <summary>The checked database, as shown (never with a password).</summary>
    public string Target { get; init; } = "";
    /// <summary>What the target was compared with, in words; null when nothing.</summary>
    public string? ComparedWith { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public TimeSpan? Elapsed { get; init; }
    public string ToolVersion { get; init; } = typeof(VerificationReport).Assembly.GetName().Version?.ToString(3) ?? "";
    public IReadOnlyList<ReportSection> Sections { get; init; } = Array.Empty<ReportSection>();
    /// <summary>Every object the cmdlet returned, with all its properties, for the JSON report.</summary>
    public IReadOnlyList<object> Results { get; init; } = Array.Empty<object>();

    public int Tests => Sections.Sum(s => s.Cases.Count);
    public int Failures => Sections.Sum(s => s.Failures);
    public int Warnings => Sections.Sum(s => s.Warnings);
    public bool Passed => Failures == 0;
}
