using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Schema;

public sealed class TableSchema
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>'r' ordinary table, 'p' partitioned table.</summary>
    public string Kind { get; init; } = "r";
    public QualifiedName? PartitionOf { get; init; }
    /// <summary>A partitioned table's PARTITION BY clause (pg_get_partkeydef), e.g. <c>RANGE (at)</c>; null otherwise, and in snapshots written before it was read.</summary>
    public string? PartitionKey { get; init; }
    /// <summary>A partition's bounds (pg_get_expr of relpartbound), e.g. <c>FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')</c>; null otherwise, and in snapshots written before it was read.</summary>
    public string? PartitionBound { get; init; }
    public bool RowSecurity { get; init; }
    public bool ForceRowSecurity { get; init; }
    public List<ColumnSchema> Columns { get; init; } = new();
    public List<ConstraintSchema> Constraints { get; init; } = new();
    public List<IndexSchema> Indexes { get; init; } = new();

    [JsonIgnore]
    public QualifiedName QualifiedName => new(Schema, Name);

    [JsonIgnore]
    public IEnumerable<ConstraintSchema> ForeignKeys => Constraints.Where(c => c.IsForeignKey);

    /// <summary>The columns whose values move: generated columns are recomputed by the target instead.</summary>
    [JsonIgnore]
    public IEnumerable<ColumnSchema> CopiedColumns => Columns.Where(c => !c.IsGenerated).OrderBy(c => c.Position);

    public ColumnSchema? FindColumn(string name) => Columns.FirstOrDefault(c => c.Name == name);
}
