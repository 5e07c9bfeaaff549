namespace FonanaMigration.Engine.Integrity;

/// <summary>Everything one Test-FonanaIntegrity run found, and every check × table it ran, for the findings and the reports.</summary>
public sealed class IntegrityTestResult
{
    /// <summary>The inspected database, as shown (never with a password).</summary>
    public string Target { get; init; } = "";
    /// <summary>The source compared with for timestamp shifts, or null.</summary>
    public string? Source { get; init; }
    /// <summary>Worst first, then by check, table and column.</summary>
    public IReadOnlyList<IntegrityFinding> Findings { get; init; } = Array.Empty<IntegrityFinding>();
    public IReadOnlyList<IntegrityCheckedTable> Runs { get; init; } = Array.Empty<IntegrityCheckedTable>();
    public TimeSpan Elapsed { get; init; }

    public bool Passed => Findings.All(f => f.Severity != IntegritySeverity.Error);
}
