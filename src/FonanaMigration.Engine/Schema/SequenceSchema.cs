using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Schema;

public sealed class SequenceSchema
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public string DataType { get; init; } = "bigint";
    public long Increment { get; init; } = 1;
    public long MinValue { get; init; }
    public long MaxValue { get; init; }
    public bool Cycle { get; init; }
    /// <summary>table.column that owns the sequence (serial or identity), when one does.</summary>
    public string? OwnedBy { get; init; }

    [JsonIgnore]
    public QualifiedName QualifiedName => new(Schema, Name);
}
