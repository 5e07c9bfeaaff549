using Npgsql;


using FonanaMigration.Engine.Mapping;

using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Verification;
namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Copy -Map: each rewritten table is read as <c>COPY (SELECT mapped values FROM ONLY source) TO STDOUT</c> in the
/// source's snapshot, and its expected count and checksum are that same SELECT's, in the same snapshot: verification
/// compares the mapped source with the target. Tables the map leaves alone travel as without a map.
/// </summary>
internal sealed class MappedLiveRowSource : IMappedRowSource
{
    private readonly LiveRowSource _inner;
    private readonly MigrationMap _map;
    private readonly Dictionary<string, MappedTablePlan> _rewritten = new();
    private MappedLoad? _load;

    public MappedLiveRowSource(LiveRowSource inner, MigrationMap map)
    {
        _inner = inner;
        _map = map;
    }

    public string Description => _inner.Description;
    public SchemaSnapshot Schema => _inner.Schema;
    public IReadOnlyList<TableContent> Tables { get; private set; } = Array.Empty<TableContent>();
    public IReadOnlyList<MapDrop> Dropped { get; private set; } = Array.Empty<MapDrop>();

    private NpgsqlConnection Reader => _inner.Snapshot.Reader;

    public async Task PrepareAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context)
    {
        var sourceTables = _inner.Tables.Select(t => t.QualifiedName).ToList();
        _load = MigrationMapValidator.Resolve(_map, Schema, targetSchema, sourceTables);
        await Sql.ExecuteAsync(Reader, MapServerCheck.SearchPath(_load, sourceTables), context).ConfigureAwait(false);
        Dropped = await MapServerCheck.RunAsync(Reader, _load, name => name.Sql, castToTarget: false, context.CancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(Reader, MapServerCheck.CatalogSearchPath, context).ConfigureAwait(false);
        MigrationMapInvalid.ThrowIfAny(_load.Problems, Description);
        MigrationMapInvalid.LogDrops(Dropped, context);

        var byName = _inner.Tables.ToDictionary(t => t.QualifiedName);
        Tables = _load.Plans.Select(plan =>
        {
            var source = plan.Source is null ? null : byName[plan.Source.QualifiedName];
            if (!plan.Rewritten) return source!;
            var table = plan.ToArchivedTable(source);
            _rewritten[table.Table] = plan;
            return table;
        }).ToList();
    }

    public async Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        if (!_rewritten.TryGetValue(table.Table, out var plan)) return await _inner.CopyIntoAsync(table, target, copyIn, onProgress, ct).ConfigureAwait(false);
        await SetSearchPathAsync(ct).ConfigureAwait(false);
        var rows = await _inner.CopyOutIntoAsync(table, $"COPY ({plan.SelectSql()}) TO STDOUT", target, copyIn, onProgress, ct).ConfigureAwait(false);
        await ResetSearchPathAsync(ct).ConfigureAwait(false);
        return rows;
    }

    public async Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct)
    {
        if (!_rewritten.TryGetValue(table.Table, out var plan)) return await _inner.ExpectedAsync(table, ct).ConfigureAwait(false);
        // The reader is idle once every table is loaded, and still holds the snapshot the rows were read in.
        await SetSearchPathAsync(ct).ConfigureAwait(false);
        var expected = await ContentChecksum.ComputeOverAsync(Reader, plan.SelectSql(), ct).ConfigureAwait(false);
        await ResetSearchPathAsync(ct).ConfigureAwait(false);
        return expected;
    }

    private async Task SetSearchPathAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(MapServerCheck.SearchPath(_load!, _inner.Tables.Select(t => t.QualifiedName)), Reader);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task ResetSearchPathAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(MapServerCheck.CatalogSearchPath, Reader);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
