
namespace FonanaMigration.Engine.Replication;

/// <summary>What Start will create, decided by the checks before anything is created.</summary>
internal sealed class ReplicationPlan
{
    public required string Name { get; init; }
    /// <summary>The leaf tables whose rows move (and are compared at cut-over).</summary>
    public required IReadOnlyList<TableSchema> Tables { get; init; }
    /// <summary>What the publication lists: a partitioned root when all its partitions move (published via the root), else the tables.</summary>
    public required IReadOnlyList<QualifiedName> Published { get; init; }
    public required ReplicationMarker Marker { get; init; }
    /// <summary>Tables on the target that already hold rows (only allowed with Clean).</summary>
    public required IReadOnlyList<QualifiedName> Occupied { get; init; }
}
