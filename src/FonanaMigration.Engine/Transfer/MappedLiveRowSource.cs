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
internal sealed class MappedLiveRowSource : MappedRowSource<LiveRowSource>
{
    public MappedLiveRowSource(LiveRowSource inner, MigrationMap map) : base(inner, map) { }

    private NpgsqlConnection Reader => Inner.Snapshot.Reader;

    // Everything is checked on the source, in its snapshot (nothing is written to the target), so paper and server
    // problems are listed together.
    public override async Task ResolveAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context)
    {
        var load = Resolve(targetSchema);
        await Sql.ExecuteAsync(Reader, MapServerCheck.SearchPath(load, SourceTables), context).ConfigureAwait(false);
        Dropped = await MapServerCheck.RunAsync(Reader, load, name => name.Sql, castToTarget: false, context.CancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(Reader, MapServerCheck.CatalogSearchPath, context).ConfigureAwait(false);
        MigrationMapInvalid.ThrowIfAny(load.Problems, Description);
        MigrationMapInvalid.LogDrops(Dropped, context);
        PlanTables();
    }

    // The map's SQL reads the source itself: nothing to put on the target.
    public override Task StageAsync(NpgsqlConnection target, RunContext context) => Task.CompletedTask;

    public override async Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        if (!Rewritten.TryGetValue(table.Table, out var plan)) return await Inner.CopyIntoAsync(table, target, copyIn, onProgress, ct).ConfigureAwait(false);
        await SetSearchPathAsync(ct).ConfigureAwait(false);
        var rows = await Inner.CopyOutIntoAsync(table, $"COPY ({plan.SelectSql()}) TO STDOUT", target, copyIn, onProgress, ct).ConfigureAwait(false);
        await ResetSearchPathAsync(ct).ConfigureAwait(false);
        return rows;
    }

    public override async Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct)
    {
        if (!Rewritten.TryGetValue(table.Table, out var plan)) return await Inner.ExpectedAsync(table, ct).ConfigureAwait(false);
        // The reader is idle once every table is loaded, and still holds the snapshot the rows were read in.
        await SetSearchPathAsync(ct).ConfigureAwait(false);
        var expected = await ContentChecksum.ComputeOverAsync(Reader, plan.SelectSql(), ct).ConfigureAwait(false);
        await ResetSearchPathAsync(ct).ConfigureAwait(false);
        return expected;
    }

    private async Task SetSearchPathAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(MapServerCheck.SearchPath(Load!, SourceTables), Reader);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task ResetSearchPathAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(MapServerCheck.CatalogSearchPath, Reader);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
