using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Schema;

/// <summary>A schema-qualified object name. <see cref="Sql"/> is always safely quoted; <see cref="ToString"/> quotes only where PostgreSQL would need it.</summary>
public readonly record struct QualifiedName(string Schema, string Name)
{
    [JsonIgnore]
    public string Sql => $"{Identifier.Quote(Schema)}.{Identifier.Quote(Name)}";

    public override string ToString() => $"{Identifier.QuoteIfNeeded(Schema)}.{Identifier.QuoteIfNeeded(Name)}";
}
