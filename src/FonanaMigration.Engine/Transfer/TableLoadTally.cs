using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Sequences;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// The per-table record of a load: rows, bytes and time as each table streams in, then, once the load committed,
/// what else happened to each (emptied by -Clean, loaded frozen, constraints rebuilt, sequences moved).
/// </summary>
internal sealed class TableLoadTally
{
    private readonly List<(TableContent Table, long Rows, long Bytes, TimeSpan Elapsed)> _loaded = new();

    public void Add(TableContent table, long rows, long bytes, TimeSpan elapsed) => _loaded.Add((table, rows, bytes, elapsed));

    /// <param name="cleaned">Tables that held rows -Clean removed (empty without -Clean).</param>
    /// <param name="frozen">Every COPY of the load used FREEZE.</param>
    public List<TableLoadResult> Results(IReadOnlyCollection<string> cleaned, bool frozen, DeferredConstraints deferred,
        SequenceAdvance sequences, IReadOnlyList<MovedSequence> moved) =>
        _loaded.Select(x => new TableLoadResult
        {
            Table = x.Table.Table,
            Rows = x.Rows,
            Bytes = x.Bytes,
            Elapsed = x.Elapsed,
            RebuildElapsed = deferred.RebuildTimeOf(x.Table.QualifiedName),
            // Returned only if the verified commit succeeded, so every table in the result is verified.
            Verified = true,
            Cleaned = cleaned.Contains(x.Table.Table),
            // A map that rewrites a table on the target inserts its rows (no bytes streamed): no COPY, so no FREEZE.
            Frozen = frozen && x.Rows > 0 && x.Bytes > 0,
            Rebuilt = deferred.RebuiltOn(x.Table.QualifiedName),
            Sequences = moved.Where(m => sequences.TablesUsing(m.Name).Contains(x.Table.QualifiedName)).ToList(),
        }).ToList();
}
