using Npgsql;


using FonanaMigration.Engine.Mapping;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// A row source that moves rows through a <see cref="MigrationMap"/>. The load calls <see cref="ResolveAsync"/> once it
/// knows the target's schema, and <see cref="StageAsync"/> only after its up-front checks (a target holding rows) passed:
/// staging may copy the whole archive onto the target. The map's validation takes the place of the plain schema check,
/// and after <see cref="ResolveAsync"/> <see cref="IRowSource.Tables"/> names the target's tables with the mapped columns.
/// </summary>
internal interface IMappedRowSource : IRowSource
{
    /// <summary>Resolves and checks the map without writing to the target (throws MigrationMapInvalid listing every problem found so far).</summary>
    Task ResolveAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context);

    /// <summary>Puts on the target what the map's SQL reads, checks the map against those rows and counts what each Drop discards.</summary>
    Task StageAsync(NpgsqlConnection target, RunContext context);

    /// <summary>What each Drop entry discarded (known after <see cref="StageAsync"/>).</summary>
    IReadOnlyList<MapDrop> Dropped { get; }
}
