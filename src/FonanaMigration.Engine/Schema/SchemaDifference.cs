namespace FonanaMigration.Engine.Schema;

/// <summary>One way the target's schema differs from the source's, with what it means for a migration.</summary>
public sealed class SchemaDifference
{
    public DifferenceSeverity Severity { get; init; }
    /// <summary>What differs: MissingTable, MissingColumn, ColumnType, EnumLabelMissing, PrismaMigrationMissing, ….</summary>
    public string Kind { get; init; } = "";
    /// <summary>The object's qualified name, e.g. public.users."isCreator".</summary>
    public string Object { get; init; } = "";
    public string? SourceValue { get; init; }
    public string? TargetValue { get; init; }
    /// <summary>A sentence saying what will go wrong, or why it does not matter.</summary>
    public string Message { get; init; } = "";
    /// <summary>Drift explanation (Test-FonanaSchema): what the data would go through, counted on a live source.</summary>
    public string? Impact { get; init; }
    /// <summary>The migration map entry that resolves this difference, when one can.</summary>
    public string? Resolution { get; init; }
    /// <summary>Related differences that are one change share a group (a table on one side, the columns that replaced it on the other).</summary>
    public string? Group { get; init; }

    public override string ToString() => $"{Severity} {Kind} {Object}: {Message}";
}
