using Npgsql;


using FonanaMigration.Engine.Mapping;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// A row source that moves rows through a <see cref="MigrationMap"/>. The load calls <see cref="PrepareAsync"/> once it
/// knows the target's schema and before it writes anything; the map's validation takes the place of the plain schema
/// check, and afterwards <see cref="IRowSource.Tables"/> names the target's tables with the mapped columns.
/// </summary>
internal interface IMappedRowSource : IRowSource
{
    /// <summary>Resolves and checks the map (throws MigrationMapInvalid listing every problem); counts what each Drop discards.</summary>
    Task PrepareAsync(NpgsqlConnection target, SchemaSnapshot targetSchema, RunContext context);

    /// <summary>What each Drop entry discarded (known after <see cref="PrepareAsync"/>).</summary>
    IReadOnlyList<MapDrop> Dropped { get; }
}
