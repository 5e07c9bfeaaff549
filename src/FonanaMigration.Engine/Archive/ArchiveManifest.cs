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
    /// <summary>2: the content checksums may be typed-hash-v1 (named by checksumAlgorithm), which a version-1 reader would misread.</summary>
    public const int CurrentFormatVersion = 2;
    /// <summary>What an archive whose checksums are row-text-v1 is written as, so older modules still read it.</summary>
    public const int RowTextFormatVersion = 1;
    public const string EntryName = "manifest.json";

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = RowTextFormatVersion;
    public string ToolVersion { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>postgresql://user@host:port/database — the password is never written.</summary>
    public string Source { get; init; } = "";
    public string SnapshotIsolation { get; init; } = "REPEATABLE READ, READ ONLY, DEFERRABLE";
    public Dictionary<string, string> SessionSettings { get; init; } = new();
    /// <summary>How every table's contentChecksum was computed: "row-text-v1" or "typed-hash-v1"; absent (older archives) means row-text-v1.</summary>
    public string? ChecksumAlgorithm { get; init; }
    public SchemaSnapshot Schema { get; init; } = new();
    public List<TableContent> Tables { get; init; } = new();

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
