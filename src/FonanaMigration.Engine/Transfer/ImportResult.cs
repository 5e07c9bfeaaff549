namespace FonanaMigration.Engine;

/// <summary>
/// What Import-FonanaDatabase did. Carries the archive Path and the Target endpoint (password kept private), so it
/// pipes straight into Assert-FonanaRowCount.
/// </summary>
public sealed class ImportResult
{
    public string Path { get; init; } = "";
    public DatabaseEndpoint Target { get; init; } = null!;
    public IReadOnlyList<TableImport> Tables { get; init; } = Array.Empty<TableImport>();
    public int TableCount => Tables.Count;
    public long RowCount => Tables.Sum(t => t.Rows);
    /// <summary>Every table's count and checksum matched the archive inside the transaction, before COMMIT.</summary>
    public bool Verified { get; init; }
    public bool Cleaned { get; init; }
    public string? BackupPath { get; init; }
    public TimeSpan Elapsed { get; init; }
}
