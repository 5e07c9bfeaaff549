namespace FonanaMigration.Engine.Schema;

/// <summary>A table constraint: p primary key, u unique, f foreign key, c check, x exclusion.</summary>
public sealed class ConstraintSchema
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    /// <summary>pg_get_constraintdef(): the exact text to re-create it.</summary>
    public string Definition { get; init; } = "";
    public IReadOnlyList<string> Columns { get; init; } = Array.Empty<string>();
    public QualifiedName? ReferencedTable { get; init; }
    public IReadOnlyList<string> ReferencedColumns { get; init; } = Array.Empty<string>();
    public string? OnUpdate { get; init; }
    public string? OnDelete { get; init; }
    public bool Deferrable { get; init; }
    public bool Validated { get; init; } = true;

    public bool IsForeignKey => Type == "f";

    public string TypeName => Type switch
    {
        "p" => "PrimaryKey",
        "u" => "Unique",
        "f" => "ForeignKey",
        "c" => "Check",
        "x" => "Exclusion",
        _ => Type,
    };
}
