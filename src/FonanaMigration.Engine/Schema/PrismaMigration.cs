namespace FonanaMigration.Engine.Schema;

/// <summary>One row of Prisma's _prisma_migrations history table.</summary>
public sealed class PrismaMigration
{
    public string Name { get; init; } = "";
    public string Checksum { get; init; } = "";
    public bool Finished { get; init; }
    public bool RolledBack { get; init; }
}
