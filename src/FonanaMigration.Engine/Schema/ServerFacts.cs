namespace FonanaMigration.Engine.Schema;

/// <summary>Server settings that change how data is stored or compared.</summary>
public sealed class ServerFacts
{
    public string Version { get; init; } = "";
    public int VersionNumber { get; init; }
    public string Encoding { get; init; } = "";
    public string Collate { get; init; } = "";
    public string Ctype { get; init; } = "";
    public string TimeZone { get; init; } = "";
}
