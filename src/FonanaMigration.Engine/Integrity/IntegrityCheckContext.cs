namespace FonanaMigration.Engine.Integrity;

/// <summary>What every check of one inspection shares: the open snapshot, its schema, the request, and where results go.</summary>
internal sealed class IntegrityCheckContext
{
    public required NpgsqlConnection Connection { get; init; }
    public required SchemaSnapshot Schema { get; init; }
    public required IntegrityRequest Request { get; init; }
    public required RunContext Context { get; init; }
    /// <summary>The tables whose rows are checked: plain tables and leaf partitions, each row once.</summary>
    public required IReadOnlyList<TableSchema> Tables { get; init; }

    public List<IntegrityFinding> Findings { get; } = new();
    public List<IntegrityCheckedTable> Runs { get; } = new();

    public CancellationToken CancellationToken => Context.CancellationToken;

    public void Ran(IntegrityCheck check, TableSchema table) => Runs.Add(new IntegrityCheckedTable(check, table.QualifiedName.ToString()));

    public void Add(IntegrityFinding finding) => Findings.Add(finding);
}
