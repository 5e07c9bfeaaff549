namespace FonanaMigration.Engine.Integrity;

/// <summary>One thing wrong (or worth knowing) about the data of one table column, as Test-FonanaIntegrity reports it.</summary>
public sealed class IntegrityFinding
{
    public IntegritySeverity Severity { get; init; }
    public IntegrityCheck Check { get; init; }
    /// <summary>schema.table, or "(database)" for a finding about the whole database.</summary>
    public string Table { get; init; } = "";
    /// <summary>The column (or, for a multi-column foreign key, the columns joined by ", "); null when none applies.</summary>
    public string? Column { get; init; }
    /// <summary>How many offenders: rows, or distinct references for media checks.</summary>
    public long Count { get; init; }
    /// <summary>Out of how many: rows scanned, distinct references, or rows sampled. Null when not measured.</summary>
    public long? Examined { get; init; }
    /// <summary>Keys of offending rows (primary key values in text form; a composite key as "(a,b)"), at most the sample size.</summary>
    public IReadOnlyList<string> Sample { get; init; } = Array.Empty<string>();
    public string Message { get; init; } = "";

    public override string ToString() => $"{Severity} {Check} {Table}{(Column is null ? "" : "." + Column)}: {Message}";
}
