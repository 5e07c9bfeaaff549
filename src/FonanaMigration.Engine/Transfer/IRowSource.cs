using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Where a load's rows come from: an archive file (import) or a live snapshot of the source server (copy). The load
/// itself — checks, one transaction, order, constraints, sequences, verified commit — is the same for both.
/// </summary>
internal interface IRowSource : IAsyncDisposable
{
    /// <summary>postgresql://user@host/db or the archive path: for messages.</summary>
    string Description { get; }
    SchemaSnapshot Schema { get; }
    /// <summary>The tables, with their columns, data format and sequences (Rows may be an estimate for a live source).</summary>
    IReadOnlyList<TableContent> Tables { get; }
    /// <summary>Streams one table's rows into a COPY … FROM STDIN on <paramref name="target"/>; returns the rows sent. <paramref name="onProgress"/> gets (rows, bytes) so far.</summary>
    Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct);
    /// <summary>Row count and content checksum the target must show for this table before COMMIT.</summary>
    Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct);
    /// <summary>The checksum algorithm the target must be able to compute to check these expectations.</summary>
    ChecksumAlgorithm Checksum => ChecksumAlgorithm.RowText;
}
