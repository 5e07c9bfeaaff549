using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Verification;

/// <summary>
/// What to compare. The expected side is an archive's manifest, a live source, or explicit numbers (any combination:
/// explicit numbers override); the actual side is always a live target.
/// </summary>
public sealed class RowCountRequest
{
    public required DatabaseEndpoint Target { get; init; }
    public DatabaseEndpoint? Source { get; init; }
    public string? ArchivePath { get; init; }
    /// <summary>Table name (users or public.users) or query name → expected count.</summary>
    public IReadOnlyDictionary<string, long> Expected { get; init; } = new Dictionary<string, long>();
    /// <summary>Name → SQL returning one number, run on the target (and on the source when there is one).</summary>
    public IReadOnlyDictionary<string, string> Queries { get; init; } = new Dictionary<string, string>();
    public TableFilter Tables { get; init; } = TableFilter.All;
    public bool Checksum { get; init; }
}
