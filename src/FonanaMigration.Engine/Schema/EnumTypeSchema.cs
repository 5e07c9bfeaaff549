using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Schema;

public sealed class EnumTypeSchema
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();

    [JsonIgnore]
    public QualifiedName QualifiedName => new(Schema, Name);
}
