
namespace FonanaMigration.Engine.Schema;

/// <summary>
/// A materialized view: whether it is populated (pg_class.relispopulated), the tables its rows come from (through
/// views and other materialized views) and, when read from a source snapshot and populated, its row count and content
/// checksum, so the target's refreshed view can be compared with the source's.
/// </summary>
public sealed class MaterializedViewSchema
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public bool Populated { get; init; }
    public List<string> Columns { get; init; } = new();
    /// <summary>Tables (and partitioned tables) the view reads, directly or through views and materialized views.</summary>
    public List<QualifiedName> DependsOnTables { get; init; } = new();
    /// <summary>Rows on the source when populated; null when not measured (an unpopulated view, or the target's own schema).</summary>
    public long? Rows { get; set; }
    public string? ContentChecksum { get; set; }

    public QualifiedName QualifiedName => new(Schema, Name);
}
