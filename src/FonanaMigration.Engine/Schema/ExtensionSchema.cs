namespace FonanaMigration.Engine.Schema;

/// <summary>An installed extension: the types and functions it brings (citext, uuid-ossp, pgcrypto…) must exist on both sides.</summary>
public sealed class ExtensionSchema
{
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    public string Schema { get; init; } = "";
}
