using System.Text.Json.Serialization;

namespace FonanaMigration.Engine.Archive;

/// <summary>
/// One table's content: which columns, how many rows, and the checksums that prove it arrived whole. An archive's
/// manifest holds one per table; a live source snapshot describes its tables the same way (without an entry).
/// </summary>
public sealed class TableContent
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>Copied columns in the order their values stand in the data entry; the import maps them by name.</summary>
    public List<string> Columns { get; init; } = new();
    public long Rows { get; init; }
    /// <summary>The server-computed <see cref="ContentChecksum"/> of the rows, taken in the export's snapshot.</summary>
    public string ContentChecksum { get; init; } = "";
    /// <summary>Zip entry holding the rows in PostgreSQL COPY text format, UTF-8.</summary>
    public string Entry { get; init; } = "";
    /// <summary>SHA-256 (hex) of the entry's uncompressed bytes: proves the file was not damaged.</summary>
    public string Sha256 { get; init; } = "";
    public long Bytes { get; init; }
    public string DataFormat { get; init; } = "text";
    public List<SequenceState> Sequences { get; init; } = new();

    [JsonIgnore]
    public QualifiedName QualifiedName => new(Schema, Name);

    [JsonIgnore]
    public string Table => QualifiedName.ToString();
}
