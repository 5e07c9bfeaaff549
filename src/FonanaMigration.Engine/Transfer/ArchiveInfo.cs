using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Transfer;

/// <summary>What Export-FonanaDatabase made: pipes into Import-FonanaDatabase and Assert-FonanaRowCount by its Path.</summary>
public sealed class ArchiveInfo
{
    public string Path { get; init; } = "";
    public int FormatVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Where the rows came from, without the password.</summary>
    public string SourceServer { get; init; } = "";
    public int TableCount => Tables.Count;
    public long RowCount => Tables.Sum(t => t.Rows);
    public long SizeBytes { get; init; }
    public TimeSpan Elapsed { get; init; }
    public IReadOnlyList<TableContent> Tables { get; init; } = Array.Empty<TableContent>();

    public static ArchiveInfo FromManifest(string path, ArchiveManifest manifest, long size, TimeSpan elapsed) => new()
    {
        Path = path,
        FormatVersion = manifest.FormatVersion,
        CreatedAt = manifest.CreatedAt,
        SourceServer = manifest.Source,
        SizeBytes = size,
        Elapsed = elapsed,
        Tables = manifest.Tables,
    };
}
