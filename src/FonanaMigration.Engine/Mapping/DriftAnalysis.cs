using Npgsql;


namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// Explains the differences between a source and a target as drift: whether the Prisma histories agree while the
/// catalogs do not (the source was changed with `prisma db push` or by hand), which differences belong together (a
/// table on one side, the foreign-key columns that replaced it on the other), and, for every Blocking difference, what
/// would happen to the data (counted on the live source when there is one) and which map entry resolves it.
/// </summary>
public static class DriftAnalysis
{
    /// <summary>True when both sides have a Prisma history, the histories name the same finished migrations, and yet the catalogs differ.</summary>
    public static bool LooksLikeUnrecordedChange(SchemaSnapshot source, SchemaSnapshot target, IReadOnlyList<SchemaDifference> differences)
    {
        if (source.PrismaMigrations is null || target.PrismaMigrations is null) return false;
        static IEnumerable<string> Applied(List<PrismaMigration> history) => history.Where(m => m.Finished && !m.RolledBack).Select(m => m.Name).Order(StringComparer.Ordinal);
        return Applied(source.PrismaMigrations).SequenceEqual(Applied(target.PrismaMigrations))
            && differences.Any(d => d.Severity == DifferenceSeverity.Blocking && !d.Kind.StartsWith("Prisma", StringComparison.Ordinal) && d.Object != "(server)" && d.Object != "(database)");
    }

    /// <summary>Reads what the data would go through on the live source (one read-only snapshot), then explains every difference that matters.</summary>
    public static async Task<IReadOnlyList<DriftFinding>> AnalyzeAsync(DatabaseEndpoint source, SchemaSnapshot sourceSchema, SchemaSnapshot targetSchema,
        IReadOnlyList<SchemaDifference> differences, RunContext context)
    {
        await using var connection = await ServerConnector.OpenAsync(source, context, "drift counts").ConfigureAwait(false);
        try
        {
            // One snapshot, so every count of the analysis describes the same moment of the source.
            await using (var begin = new NpgsqlCommand("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", connection))
                await begin.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
            return await AnalyzeAsync(sourceSchema, targetSchema, differences, (sql, ct) => CountAsync(connection, sql, ct), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, source, context.CancellationToken);
        }
    }

    /// <summary>Explains without counting (a saved snapshot stands for the source).</summary>
    public static IReadOnlyList<DriftFinding> Analyze(SchemaSnapshot sourceSchema, SchemaSnapshot targetSchema, IReadOnlyList<SchemaDifference> differences) =>
        AnalyzeAsync(sourceSchema, targetSchema, differences, null, CancellationToken.None).GetAwaiter().GetResult();

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task<IReadOnlyList<DriftFinding>> AnalyzeAsync(SchemaSnapshot source, SchemaSnapshot target, IReadOnlyList<SchemaDifference> differences,
        Func<string, CancellationToken, Task<long>>? count, CancellationToken ct)
    {
        async Task<long?> Count(string sql) => count is null ? null : await count(sql, ct).ConfigureAwait(false);
        string Many(long? n, string what) => n is null ? $"all {what}" : $"{n} {what}";

        var groups = FindGroups(source, target, differences);
        var findings = new List<DriftFinding>();
        foreach (var d in differences)
        {
            groups.TryGetValue(d.Object, out var group);
            // An object this analysis cannot place (a shape it does not know) is still reported, just without a map entry.
            if (!Understood(source, target, d))
            {
                if (d.Severity == DifferenceSeverity.Blocking)
                    findings.Add(new DriftFinding { Difference = d, Impact = "Resolve it by hand: change the target or the source.", Group = group });
                continue;
            }
            switch (d.Kind)
            {
                case "MissingTable":
                {
                    var table = source.Tables.First(t => t.QualifiedName.ToString() == d.Object);
                    var rows = await Count($"SELECT count(*) FROM ONLY {table.QualifiedName.Sql}").ConfigureAwait(false);
                    var key = Key(table.QualifiedName);
                    findings.Add(rows == 0
                        ? new DriftFinding { Difference = d, Impact = "The table holds no rows; dropping it loses nothing.", Section = "Tables", Key = key, Entry = "@{ Drop = $true }", Decided = true, Group = group }
                        : new DriftFinding { Difference = d, Impact = $"{Many(rows, "rows")} would have nowhere to go.", Section = "Tables", Key = key, Group = group,
                            Entry = $"@{{ Decide = '{Quote($"{Many(rows, "rows")} have no table on the target: delete this Decide key to drop them, or replace Drop with Target = 'schema.table'.")}'; Drop = $true }}" });
                    break;
                }
                case "MissingColumn" when d.Severity == DifferenceSeverity.Blocking:
                {
                    var (table, column) = Column(source, d.Object);
                    var values = await Count($"SELECT count({Identifier.Quote(column.Name)}) FROM ONLY {table.QualifiedName.Sql}").ConfigureAwait(false);
                    var key = Key(table.QualifiedName, column.Name);
                    var hint = group is null ? "" : $" They belong with {group}: fill that table From a query over them before dropping them.";
                    findings.Add(values == 0
                        ? new DriftFinding { Difference = d, Impact = "The column holds no values; dropping it loses nothing.", Section = "Columns", Key = key, Entry = "@{ Drop = $true }", Decided = true, Group = group }
                        : new DriftFinding { Difference = d, Impact = $"{Many(values, "non-NULL values")} would be lost.{hint}", Section = "Columns", Key = key, Group = group,
                            Entry = $"@{{ Decide = '{Quote($"{Many(values, "non-NULL values")} have no column on the target: delete this Decide key to drop them, or use them in an expression or a From query and keep the Drop.")}'; Drop = $true }}" });
                    break;
                }
                case "ColumnType":
                {
                    var (table, column) = Column(source, d.Object);
                    var targetColumn = target.FindTable(table.QualifiedName)!.FindColumn(column.Name)!;
                    var values = await Count($"SELECT count({Identifier.Quote(column.Name)}) FROM ONLY {table.QualifiedName.Sql}").ConfigureAwait(false);
                    // A user-defined target type may not exist on the source: its text is what the target parses.
                    var cast = targetColumn.TypeKind == "b" && !targetColumn.DataType.Contains('.') ? targetColumn.DataType : "text" + (targetColumn.IsArray ? "[]" : "");
                    findings.Add(new DriftFinding
                    {
                        Difference = d, Impact = $"{Many(values, "non-NULL values")} are converted from {column.DataType} to {targetColumn.DataType}; a value the conversion rejects stops the load and nothing is written.",
                        Section = "Columns", Key = Key(table.QualifiedName, column.Name), Entry = $"'{Quote($"{Identifier.Quote(column.Name)}::{cast}")}'", Decided = true, Group = group,
                    });
                    break;
                }
                case "ColumnNullability" when d.Severity == DifferenceSeverity.Blocking:
                {
                    var (table, column) = Column(source, d.Object);
                    var nulls = await Count($"SELECT count(*) FROM ONLY {table.QualifiedName.Sql} WHERE {Identifier.Quote(column.Name)} IS NULL").ConfigureAwait(false);
                    findings.Add(new DriftFinding
                    {
                        Difference = d, Impact = $"{Many(nulls, "rows")} hold NULL here, which the target rejects.", Section = "Columns", Key = Key(table.QualifiedName, column.Name), Group = group,
                        Entry = nulls == 0 ? $"'{Quote(Identifier.Quote(column.Name))}'" : $"@{{ Decide = 'Give the value NULL becomes, then delete this Decide key.'; Expression = '{Quote($"COALESCE({Identifier.Quote(column.Name)}, <value>)")}' }}",
                        Decided = nulls == 0,
                    });
                    break;
                }
                case "ExtraColumnNotNull":
                {
                    var (table, column) = Column(target, d.Object);
                    var rows = await CountIfSourceHas(source, table.QualifiedName, Count).ConfigureAwait(false);
                    findings.Add(new DriftFinding
                    {
                        Difference = d, Impact = $"{Many(rows, "rows")} need a value the source does not have.", Section = "Columns", Key = Key(table.QualifiedName, column.Name), Group = group,
                        Entry = "@{ Decide = 'Give an SQL expression over the source row, then delete this Decide key.'; Expression = '<expression>' }",
                    });
                    break;
                }
                case "EnumLabelMissing":
                {
                    var type = source.Enums.First(e => e.QualifiedName.ToString() == d.Object);
                    var other = target.Enums.First(e => e.QualifiedName.ToString() == d.Object);
                    var missing = type.Labels.Except(other.Labels).ToList();
                    var unused = other.Labels.Except(type.Labels).ToList();
                    foreach (var label in missing)
                    {
                        long? rows = 0;
                        foreach (var table in source.Tables)
                            foreach (var column in table.CopiedColumns.Where(c => c.TypeKind == "e" && MigrationMapValidator.EnumTypeOf(c) == d.Object))
                            {
                                var test = column.IsArray ? $"'{Quote(label)}' = ANY({Identifier.Quote(column.Name)}::text[])" : $"{Identifier.Quote(column.Name)}::text = '{Quote(label)}'";
                                var n = await Count($"SELECT count(*) FROM ONLY {table.QualifiedName.Sql} WHERE {test}").ConfigureAwait(false);
                                rows = rows is null || n is null ? null : rows + n;
                            }
                        var guess = missing.Count == 1 && unused.Count == 1 ? unused[0] : null;
                        findings.Add(new DriftFinding
                        {
                            Difference = d, Impact = $"{Many(rows, "rows")} hold '{label}', which the target's type lacks.", Section = "EnumLabels", Key = Key(type.QualifiedName), Label = label, Group = group,
                            Entry = guess is not null
                                ? $"@{{ Decide = '{Quote($"'{label}' looks renamed to '{guess}': delete this Decide key to agree, or give another label, or RefuseRows = $true.")}'; To = '{Quote(guess)}' }}"
                                : $"@{{ Decide = '{Quote($"Map '{label}' To one of {string.Join(", ", other.Labels)}, or RefuseRows = $true (any row holding it stops the load).")}' }}",
                        });
                    }
                    break;
                }
                case "ExtraTable" when group is not null:
                {
                    var table = target.Tables.First(t => t.QualifiedName.ToString() == d.Object);
                    findings.Add(new DriftFinding
                    {
                        Difference = d, Impact = "Only the target has this table, so nothing fills it unless the map does: the rows it would hold live in the source's columns of the same group.",
                        Section = "Tables", Key = Key(table.QualifiedName), Group = group,
                        Entry = $"@{{ Decide = 'Delete this Decide key to fill the table From the query below (check it), or remove the whole entry to leave it empty.'; From = '{Quote(SuggestFrom(source, target, table) ?? "SELECT …")}' }}",
                    });
                    break;
                }
                default:
                    if (d.Severity == DifferenceSeverity.Blocking)
                        findings.Add(new DriftFinding { Difference = d, Impact = "A migration map cannot resolve this: change the target (for Prisma, `prisma migrate deploy`) or the source.", Group = group });
                    break;
            }
        }
        return findings;
    }

    /// <summary>The differences as Test-FonanaSchema shows them: each with its impact, map entry and group; a SchemaDrift warning first when the histories agree but the catalogs do not.</summary>
    public static IReadOnlyList<SchemaDifference> Annotate(IReadOnlyList<SchemaDifference> differences, IReadOnlyList<DriftFinding> findings, bool unrecordedChange)
    {
        var result = new List<SchemaDifference>();
        if (unrecordedChange)
            result.Add(new SchemaDifference
            {
                Severity = DifferenceSeverity.Warning, Kind = "SchemaDrift", Object = SchemaSnapshot.PrismaHistoryTable, SourceValue = "same migrations", TargetValue = "same migrations",
                Message = "Both sides record the same Prisma migrations, yet their tables differ: the source was probably changed with `prisma db push` or by hand. " +
                          "New-FonanaMigrationMap drafts a map that moves the data anyway; Impact and Resolution below say what each difference needs.",
            });
        foreach (var d in differences)
        {
            var own = findings.Where(f => ReferenceEquals(f.Difference, d)).ToList();
            if (own.Count == 0) { result.Add(d); continue; }
            result.Add(new SchemaDifference
            {
                Severity = d.Severity, Kind = d.Kind, Object = d.Object, SourceValue = d.SourceValue, TargetValue = d.TargetValue, Message = d.Message,
                Impact = string.Join(" ", own.Select(f => f.Impact).Distinct()),
                Resolution = own.All(f => f.Resolution is null) ? null
                    : string.Join("; ", own.Where(f => f.Resolution is not null).Select(f => f.Resolution + (f.Decided ? "" : " (a person decides)"))),
                Group = own[0].Group,
            });
        }
        return result;
    }

    private static async Task<long?> CountIfSourceHas(SchemaSnapshot source, QualifiedName table, Func<string, Task<long?>> count) =>
        source.FindTable(table) is null ? 0 : await count($"SELECT count(*) FROM ONLY {table.Sql}").ConfigureAwait(false);

    /// <summary>
    /// Target-only tables whose foreign keys point at tables that, on the source, grew foreign-key columns of their own
    /// (MissingColumn) to the same tables: the classic join table replaced by columns. Maps each member's Object to the group's name.
    /// </summary>
    private static Dictionary<string, string> FindGroups(SchemaSnapshot source, SchemaSnapshot target, IReadOnlyList<SchemaDifference> differences)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var extra in differences.Where(d => d.Kind == "ExtraTable"))
        {
            var table = target.Tables.FirstOrDefault(t => t.QualifiedName.ToString() == extra.Object);
            if (table is null) continue;
            var members = ReplacingColumns(source, target, table).ToList();
            if (members.Count == 0) continue;
            var name = $"{table.QualifiedName} <-> {string.Join(", ", members.Select(m => $"{m.Table.QualifiedName}.{Identifier.QuoteIfNeeded(m.Column.Name)}"))}";
            groups[extra.Object] = name;
            foreach (var (t, c, _) in members) groups[$"{t.QualifiedName}.{Identifier.QuoteIfNeeded(c.Name)}"] = name;
        }
        return groups;
    }

    // (source table, source-only FK column, the FK of the target-only table that points at its owner table)
    private static IEnumerable<(TableSchema Table, ColumnSchema Column, ConstraintSchema OwnerKey)> ReplacingColumns(SchemaSnapshot source, SchemaSnapshot target, TableSchema joinTable)
    {
        var keys = joinTable.ForeignKeys.Where(k => k.Columns.Count == 1 && k.ReferencedTable is not null).ToList();
        foreach (var ownerKey in keys)
        {
            var owner = source.FindTable(ownerKey.ReferencedTable!.Value);
            var targetOwner = target.FindTable(ownerKey.ReferencedTable!.Value);
            if (owner is null || targetOwner is null) continue;
            var others = keys.Where(k => k != ownerKey).Select(k => k.ReferencedTable!.Value).ToHashSet();
            foreach (var fk in owner.ForeignKeys.Where(k => k.Columns.Count == 1 && k.ReferencedTable is { } r && others.Contains(r)))
            {
                var column = owner.FindColumn(fk.Columns[0]);
                if (column is not null && targetOwner.FindColumn(column.Name) is null) yield return (owner, column, ownerKey);
            }
        }
    }

    /// <summary>SELECT owner key AS the join's owner column, replacing column AS its other column, one UNION branch per replacing column.</summary>
    private static string? SuggestFrom(SchemaSnapshot source, SchemaSnapshot target, TableSchema joinTable)
    {
        var members = ReplacingColumns(source, target, joinTable).ToList();
        if (members.Count == 0) return null;
        var branches = members.Select((m, i) =>
        {
            var otherKey = joinTable.ForeignKeys.First(k => k != m.OwnerKey && k.Columns.Count == 1 && m.Table.ForeignKeys.Any(f => f.Columns.SequenceEqual(new[] { m.Column.Name }) && f.ReferencedTable == k.ReferencedTable));
            var ownerColumn = Identifier.Quote(m.OwnerKey.ReferencedColumns[0]);
            return i == 0
                ? $"SELECT {ownerColumn} AS {Identifier.Quote(m.OwnerKey.Columns[0])}, {Identifier.Quote(m.Column.Name)} AS {Identifier.Quote(otherKey.Columns[0])} FROM {Identifier.Quote(m.Table.Name)} WHERE {Identifier.Quote(m.Column.Name)} IS NOT NULL"
                : $"SELECT {ownerColumn}, {Identifier.Quote(m.Column.Name)} FROM {Identifier.Quote(m.Table.Name)} WHERE {Identifier.Quote(m.Column.Name)} IS NOT NULL";
        });
        return string.Join(" UNION ", branches);
    }

    private static bool Understood(SchemaSnapshot source, SchemaSnapshot target, SchemaDifference d) => d.Kind switch
    {
        "MissingTable" => source.Tables.Any(t => t.QualifiedName.ToString() == d.Object),
        "MissingColumn" or "ColumnNullability" => TryColumn(source, d.Object) is not null,
        "ColumnType" => TryColumn(source, d.Object) is { } c && target.FindTable(c.Table.QualifiedName)?.FindColumn(c.Column.Name) is not null,
        "ExtraColumnNotNull" => TryColumn(target, d.Object) is not null,
        "EnumLabelMissing" => source.Enums.Any(e => e.QualifiedName.ToString() == d.Object) && target.Enums.Any(e => e.QualifiedName.ToString() == d.Object),
        "ExtraTable" => target.Tables.Any(t => t.QualifiedName.ToString() == d.Object),
        _ => true,
    };

    private static (TableSchema Table, ColumnSchema Column) Column(SchemaSnapshot schema, string objectName) =>
        TryColumn(schema, objectName) ?? throw new InvalidOperationException($"No column {objectName}.");

    private static (TableSchema Table, ColumnSchema Column)? TryColumn(SchemaSnapshot schema, string objectName)
    {
        foreach (var table in schema.Tables)
        {
            var prefix = table.QualifiedName + ".";
            if (!objectName.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var column = table.Columns.FirstOrDefault(c => Identifier.QuoteIfNeeded(c.Name) == objectName[prefix.Length..]);
            if (column is not null) return (table, column);
        }
        return null;
    }

    private static string Key(QualifiedName table, string? column = null) => column is null ? $"{table.Schema}.{table.Name}" : $"{table.Schema}.{table.Name}.{column}";

    /// <summary>Text inside a single-quoted PowerShell string.</summary>
    internal static string Quote(string text) => text.Replace("'", "''");
}
