using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Schema;

/// <summary>A domain type: a base type with its own NOT NULL, default and CHECK rules.</summary>
public sealed class DomainSchema
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public string BaseType { get; init; } = "";
    public bool NotNull { get; init; }
    public string? Default { get; init; }
    public IReadOnlyList<string> Checks { get; init; } = Array.Empty<string>();

    [JsonIgnore]
    public QualifiedName QualifiedName => new(Schema, Name);
}
