namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// What the load dropped on one table and built again after its rows were in: keys, indexes no constraint owns, and
/// foreign keys (with constraints in place, only those that close a cycle across tables).
/// </summary>
public sealed record RebuiltConstraints(int PrimaryKeys, int UniqueConstraints, int Indexes, int ForeignKeys)
{
    public static RebuiltConstraints None { get; } = new(0, 0, 0, 0);

    public bool Any => PrimaryKeys + UniqueConstraints + Indexes + ForeignKeys > 0;
}
