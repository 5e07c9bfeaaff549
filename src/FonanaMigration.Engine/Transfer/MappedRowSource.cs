using Npgsql;

using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Mapping;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// What Copy -Map and Import -Map share: the map resolved against both schemas, the target's tables it yields (a
/// rewritten table travels as text through its plan; the others as the source has them) and what each Drop discarded.
/// </summary>
internal abstract class MappedRowSource<TInner> : IMappedRowSource where TInner : IRowSource
{
    protected readonly TInner Inner;
    private readonly MigrationMap _map;
    protected readonly Dictionary<string, MappedTablePlan> Rewritten = new();
    protected MappedLoad? Load;

    protected MappedRowSource(TInner inner, MigrationMap map)
    {
        Inner = inner;
        _map = map;
    }

    public string Description => Inner.Description;
    public SchemaSnapshot Schema => Inner.Schema;
    public IReadOnlyList<TableContent> Tables { get; private set; } = Array.Empty<TableContent>();
    public IReadOnlyList<MapDrop> Dropped { get; protected set; } = Array.Empty<MapDrop>();
    public ChecksumAlgorithm Checksum => Inner.Checksum;

    protected IReadOnlyList<QualifiedName> SourceTables => Inner.Tables.Select(t => t.QualifiedName).ToList();

    public abstract Task ResolveAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context);

    public abstract Task StageAsync(NpgsqlConnection target, RunContext context);

    /// <summary>Resolves the map on paper: its plans, and the problems the schemas alone reveal.</summary>
    protected MappedLoad Resolve(SchemaSnapshot targetSchema) =>
        Load = MigrationMapValidator.Resolve(_map, Schema, targetSchema, SourceTables);

    /// <summary>Names the target's tables the load fills, from the resolved plans.</summary>
    protected void PlanTables()
    {
        var byName = Inner.Tables.ToDictionary(t => t.QualifiedName);
        Tables = Load!.Plans.Select(plan =>
        {
            var source = plan.Source is null ? null : byName[plan.Source.QualifiedName];
            if (!plan.Rewritten) return source!;
            var table = plan.ToArchivedTable(source);
            Rewritten[table.Table] = plan;
            return table;
        }).ToList();
    }

    public abstract Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct);

    public abstract Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct);

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
