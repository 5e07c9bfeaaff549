using Microsoft.Extensions.Logging;
using Npgsql;


using FonanaMigration.Engine.Mapping;

using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Verification;
using FonanaMigration.Engine.Streams;
namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Import -Map: the archive holds the source's rows as they were, so they are first staged into temporary tables on
/// the load's own connection (named as on the source, so the map's SQL finds them; nobody else sees them, and they
/// vanish with the connection), each proven equal to the archive's checksum. Every rewritten table is then filled by
/// <c>INSERT INTO target SELECT mapped values FROM staged</c> inside the load's transaction, and its expected count and
/// checksum are that same SELECT's. Costs one extra pass over the archive.
/// </summary>
internal sealed class MappedArchiveRowSource : MappedRowSource<ArchiveRowSource>
{
    private static readonly EventId Staged = EngineEvents.MapStaged;

    private NpgsqlConnection? _target;

    public MappedArchiveRowSource(ArchiveRowSource inner, MigrationMap map) : base(inner, map) { }

    private static string Staging(QualifiedName name) => "pg_temp." + Identifier.Quote(name.Name);

    public override Task ResolveAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context)
    {
        var load = Resolve(targetSchema);
        foreach (var clash in SourceTables.GroupBy(t => t.Name).Where(g => g.Count() > 1))
            load.Problems.Add($"Import -Map stages each table under its own name, and {string.Join(" and ", clash)} share one; move them with Copy-FonanaDatabase -Map, or import them in separate runs (-Table).");
        // A map that is wrong on paper is refused before the archive is read again.
        MigrationMapInvalid.ThrowIfAny(load.Problems, Description);
        PlanTables(); // names the target's tables for the load's up-front checks; a From table's columns come with StageAsync
        return Task.CompletedTask;
    }

    public override async Task StageAsync(NpgsqlConnection target, RunContext context)
    {
        var ct = context.CancellationToken;
        _target = target;
        foreach (var table in Inner.Tables)
        {
            var source = Schema.FindTable(table.QualifiedName)!;
            var columns = table.Columns.Select(c => $"{Identifier.Quote(c)} {StagingType(source.FindColumn(c)!)}");
            await Sql.ExecuteAsync(target, $"CREATE TEMP TABLE {Identifier.Quote(table.Name)} ({string.Join(", ", columns)})", context).ConfigureAwait(false);
            var copy = CopyFormat.CopyInSql(new QualifiedName("pg_temp", table.Name), table.Columns, table.DataFormat).Replace("\"pg_temp\".", "pg_temp.");
            await Inner.CopyIntoAsync(table, target, copy, (_, _) => { }, ct).ConfigureAwait(false);
            // The staged rows must be the archive's rows exactly, or every checksum computed from them would prove nothing.
            var staged = await ContentChecksum.ComputeAsync(target, new QualifiedName("pg_temp", table.Name), table.Columns, Inner.Checksum, ct,
                table.Columns.Where(c => StagedAsTextArray(source.FindColumn(c)!)).ToHashSet()).ConfigureAwait(false);
            if (staged.Rows != table.Rows || staged.Checksum != table.ContentChecksum)
                throw new MigrationException(FailureKind.VerificationFailed, "ImportVerificationFailed",
                    $"Staging {table.Table} for the map changed its rows (rows {staged.Rows}/{table.Rows}); nothing was written.", table.Table);
            context.Logger.LogInformation(Staged, "Staged {Table} for the map: {Rows} rows.", table.Table, staged.Rows);
        }

        await Sql.ExecuteAsync(target, "BEGIN", context).ConfigureAwait(false);
        await Sql.ExecuteAsync(target, MapServerCheck.SearchPath(Load!, SourceTables), context).ConfigureAwait(false);
        Dropped = await MapServerCheck.RunAsync(target, Load!, Staging, castToTarget: true, ct).ConfigureAwait(false);
        await Sql.ExecuteAsync(target, "ROLLBACK", context).ConfigureAwait(false); // also puts the search_path back
        MigrationMapInvalid.ThrowIfAny(Load!.Problems, Description);
        MigrationMapInvalid.LogDrops(Dropped, context);
        PlanTables(); // now with the columns each From query returns
    }

    // The source's own type where the target has it too; enum and composite values as their text (the target's enum may
    // lack the source's labels), domains as their base type.
    // An enum[] or composite[] is staged as text[]: the source hashed the whole array as text, so the staged copy must too.
    private static bool StagedAsTextArray(ColumnSchema column) => column.IsArray && column.TypeKind is "e" or "c";

    private string StagingType(ColumnSchema column)
    {
        var array = column.IsArray ? "[]" : "";
        return column.TypeKind switch
        {
            "e" or "c" => "text" + array,
            "d" => (Schema.Domains.FirstOrDefault(d => d.QualifiedName.ToString() == MigrationMapValidator.EnumTypeOf(column))?.BaseType ?? "text") + array,
            _ => column.DataType,
        };
    }

    public override async Task<long> CopyIntoAsync(TableContent table, NpgsqlConnection target, string copyIn, Action<long, long> onProgress, CancellationToken ct)
    {
        if (!Rewritten.TryGetValue(table.Table, out var plan)) return await Inner.CopyIntoAsync(table, target, copyIn, onProgress, ct).ConfigureAwait(false);
        // Not a COPY: the rows are already on this server, staged.
        await ExecuteAsync(MapServerCheck.SearchPath(Load!, SourceTables), ct).ConfigureAwait(false);
        long rows;
        await using (var insert = new NpgsqlCommand($"INSERT INTO {table.QualifiedName.Sql} ({CopyFormat.ColumnList(table.Columns)}) {plan.SelectSql(plan.Source is null ? null : Staging(plan.Source.QualifiedName), castToTarget: true)}", target))
            rows = await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(MapServerCheck.CatalogSearchPath, ct).ConfigureAwait(false);
        onProgress(rows, 0);
        return rows;
    }

    public override async Task<ContentChecksum> ExpectedAsync(TableContent table, CancellationToken ct)
    {
        if (!Rewritten.TryGetValue(table.Table, out var plan)) return await Inner.ExpectedAsync(table, ct).ConfigureAwait(false);
        await ExecuteAsync(MapServerCheck.SearchPath(Load!, SourceTables), ct).ConfigureAwait(false);
        var expected = await ContentChecksum.ComputeOverAsync(_target!, plan.SelectSql(plan.Source is null ? null : Staging(plan.Source.QualifiedName), castToTarget: true), ct).ConfigureAwait(false);
        await ExecuteAsync(MapServerCheck.CatalogSearchPath, ct).ConfigureAwait(false);
        return expected;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, _target);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
