using System.Text.Json;
using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Archive;

/// <summary>
/// manifest.json of an archive. Describes the source (never with credentials), the schema it was taken from and each
/// table's entry. See docs/archive-format.md.
/// </summary>
public sealed class ArchiveManifest
{
    public const string FormatName = "FonanaMigration.Archive";
    public const int CurrentFormatVersion = 1;
    public const string EntryName = "manifest.json";

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public string ToolVersion { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>postgresql://user@host:port/database — the password is never written.</summary>
    public string Source { get; init; } = "";
    public string SnapshotIsolation { get; init; } = "REPEATABLE READ, READ ONLY, DEFERRABLE";
    public Dictionary<string, string> SessionSettings { get; init; } = new();
    public SchemaSnapshot Schema { get; init; } = new();
    public List<TableContent> Tables { get; init; } = new();

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
