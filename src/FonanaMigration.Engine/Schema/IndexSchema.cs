namespace FonanaMigration.Engine.Schema;

public sealed class IndexSchema
{
    public string Name { get; init; } = "";
    /// <summary>pg_get_indexdef(): columns, method, uniqueness and partial predicate in one comparable text.</summary>
    public string Definition { get; init; } = "";
    public bool IsUnique { get; init; }
    public bool IsPrimary { get; init; }
    /// <summary>True when a PRIMARY KEY / UNIQUE / EXCLUDE constraint owns the index (compared through the constraint).</summary>
    public bool BacksConstraint { get; init; }
}
