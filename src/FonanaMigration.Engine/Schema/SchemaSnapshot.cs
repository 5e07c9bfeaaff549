namespace FonanaMigration.Engine.Schema;

/// <summary>
/// Everything about a database's structure that decides whether its rows can move to another one, read from
/// pg_catalog. Serializable to JSON, so an archive carries the schema it was taken from.
/// </summary>
public sealed class SchemaSnapshot
{
    public const string PrismaHistoryTable = "_prisma_migrations";

    public int FormatVersion { get; init; } = 1;
    public string Database { get; init; } = "";
    public DateTimeOffset TakenAt { get; init; }
    public ServerFacts Server { get; init; } = new();
    public List<TableSchema> Tables { get; init; } = new();
    public List<EnumTypeSchema> Enums { get; init; } = new();
    public List<DomainSchema> Domains { get; init; } = new();
    public List<SequenceSchema> Sequences { get; init; } = new();
    public List<ExtensionSchema> Extensions { get; init; } = new();
    /// <summary>In dependency order. Null in archives written before materialized views were recorded.</summary>
    public List<MaterializedViewSchema>? MaterializedViews { get; init; }
    /// <summary>Null when the database has no _prisma_migrations table.</summary>
    public List<PrismaMigration>? PrismaMigrations { get; init; }

    public TableSchema? FindTable(QualifiedName name) => Tables.FirstOrDefault(t => t.Schema == name.Schema && t.Name == name.Name);

    public static bool IsPrismaHistory(QualifiedName name) => name.Name == PrismaHistoryTable;
}
