namespace FonanaMigration.Engine.Schema;

/// <summary>
/// Compares a source schema with a target schema from the point of view of moving the source's rows into the target:
/// what would make the import fail or change data is Blocking, what merely differs is Warning or Info.
/// </summary>
public static class SchemaComparer
{
    public static IReadOnlyList<SchemaDifference> Compare(SchemaSnapshot source, SchemaSnapshot target, Func<QualifiedName, bool>? includeTable = null)
    {
        var include = includeTable ?? (_ => true);
        var found = new List<SchemaDifference>();
        CompareServers(source.Server, target.Server, found);
        CompareTimeZones(source, target, include, found);
        CompareEnums(source, target, found);
        CompareDomains(source, target, found);
        CompareExtensions(source, target, found);
        CompareSequences(source, target, include, found);

        foreach (var table in source.Tables.Where(t => include(t.QualifiedName)))
        {
            var other = target.FindTable(table.QualifiedName);
            if (other is null)
            {
                if (SchemaSnapshot.IsPrismaHistory(table.QualifiedName)) continue; // reported through the history comparison
                found.Add(Blocking("MissingTable", table.QualifiedName.ToString(), "table", null,
                    "The target has no such table, so its rows have nowhere to go."));
                continue;
            }
            CompareTableKinds(table, other, found);
            CompareColumns(table, other, found);
            CompareConstraints(table, other, found);
            CompareIndexes(table, other, found);
        }

        foreach (var table in target.Tables.Where(t => include(t.QualifiedName) && source.FindTable(t.QualifiedName) is null))
        {
            found.Add(new SchemaDifference
            {
                Severity = DifferenceSeverity.Info, Kind = "ExtraTable", Object = table.QualifiedName.ToString(), TargetValue = "table",
                Message = "Only the target has this table; the migration leaves it as it is.",
            });
        }

        ComparePrismaHistory(source.PrismaMigrations, target.PrismaMigrations, found);
        return found.OrderByDescending(d => d.Severity).ThenBy(d => d.Object, StringComparer.Ordinal).ThenBy(d => d.Kind, StringComparer.Ordinal).ToList();
    }

    private static void CompareServers(ServerFacts source, ServerFacts target, List<SchemaDifference> found)
    {
        if (source.Encoding != target.Encoding)
        {
            var lossy = target.Encoding != "UTF8" && source.Encoding == "UTF8";
            found.Add(new SchemaDifference
            {
                Severity = lossy ? DifferenceSeverity.Blocking : DifferenceSeverity.Warning, Kind = "ServerEncoding", Object = "(server)",
                SourceValue = source.Encoding, TargetValue = target.Encoding,
                Message = lossy ? "The target cannot store every character a UTF8 source can hold; text would be rejected or mangled."
                                : "The servers use different encodings; text converts on the way.",
            });
        }
        if (source.VersionNumber / 10000 != target.VersionNumber / 10000)
        {
            found.Add(new SchemaDifference
            {
                Severity = source.VersionNumber > target.VersionNumber ? DifferenceSeverity.Warning : DifferenceSeverity.Info,
                Kind = "ServerVersion", Object = "(server)", SourceValue = source.Version, TargetValue = target.Version,
                Message = source.VersionNumber > target.VersionNumber
                    ? "The target runs an older major version; data types are the same but defaults and functions may differ."
                    : "The target runs a newer major version.",
            });
        }
        if (source.Collate != target.Collate || source.Ctype != target.Ctype)
        {
            found.Add(new SchemaDifference
            {
                Severity = DifferenceSeverity.Warning, Kind = "DatabaseCollation", Object = "(database)",
                SourceValue = $"{source.Collate}/{source.Ctype}", TargetValue = $"{target.Collate}/{target.Ctype}",
                Message = "Text sorts differently on the target: ORDER BY results and unique indexes on text may behave differently.",
            });
        }
    }

    // Prisma's DateTime is timestamp(3) WITHOUT time zone with DEFAULT CURRENT_TIMESTAMP: the server's TimeZone decides
    // what new rows store. Migrated rows keep their values, so new and old rows would then be in different zones.
    private static void CompareTimeZones(SchemaSnapshot source, SchemaSnapshot target, Func<QualifiedName, bool> include, List<SchemaDifference> found)
    {
        if (source.Server.TimeZone == target.Server.TimeZone || source.Server.TimeZone.Length == 0 || target.Server.TimeZone.Length == 0) return;
        var local = source.Tables.Where(t => include(t.QualifiedName))
            .SelectMany(t => t.Columns.Where(c => c.DataType.StartsWith("timestamp", StringComparison.Ordinal) && c.DataType.Contains("without time zone") && c.Default is not null)
                .Select(c => $"{t.QualifiedName}.{Identifier.QuoteIfNeeded(c.Name)}"))
            .ToList();
        found.Add(new SchemaDifference
        {
            Severity = local.Count > 0 ? DifferenceSeverity.Warning : DifferenceSeverity.Info, Kind = "ServerTimeZone", Object = "(server)",
            SourceValue = source.Server.TimeZone, TargetValue = target.Server.TimeZone,
            Message = local.Count > 0
                ? $"Migrated timestamps keep their values, but {local.Count} timestamp-without-time-zone column(s) with a default (e.g. {local[0]}) will stamp new rows in the target's zone. Set the target's TimeZone (ALTER DATABASE … SET timezone) to the source's."
                : "The servers' time zones differ; timestamptz values are stored as instants, so nothing changes in the data.",
        });
    }

    private static void CompareTableKinds(TableSchema table, TableSchema other, List<SchemaDifference> found)
    {
        var name = table.QualifiedName.ToString();
        if (table.Kind != other.Kind)
            found.Add(Blocking("TableKind", name, table.Kind == "p" ? "partitioned" : "table", other.Kind == "p" ? "partitioned" : "table",
                "One side partitions this table and the other does not; rows are copied partition by partition and would have nowhere to go."));
        if (table.PartitionOf != other.PartitionOf)
            found.Add(Warning("PartitionOf", name, table.PartitionOf?.ToString() ?? "(none)", other.PartitionOf?.ToString() ?? "(none)",
                "The table is a partition of another parent on the target."));
        // Unknown (null) in snapshots written before these were read: nothing to compare then.
        if (table.Kind == "p" && other.Kind == "p" && table.PartitionKey is { } key && other.PartitionKey is { } otherKey && key != otherKey)
            found.Add(Blocking("PartitionKey", name, key, otherKey,
                "The target partitions this table by another key: rows would land in other partitions than on the source, or in none and be rejected part-way through the load."));
        if (table.PartitionBound is { } bound && other.PartitionBound is { } otherBound && bound != otherBound)
            found.Add(Blocking("PartitionBound", name, bound, otherBound,
                "The target's partition covers other values than the source's: rows are loaded partition by partition, so a row outside the target's bounds is rejected part-way through the load, and one inside them may belong to another partition there."));
    }

    private static void CompareEnums(SchemaSnapshot source, SchemaSnapshot target, List<SchemaDifference> found)
    {
        foreach (var type in source.Enums)
        {
            var other = target.Enums.FirstOrDefault(e => e.QualifiedName == type.QualifiedName);
            var name = type.QualifiedName.ToString();
            if (other is null)
            {
                found.Add(Blocking("MissingEnum", name, string.Join(", ", type.Labels), null, "The target has no such enum type."));
                continue;
            }
            var missing = type.Labels.Except(other.Labels).ToList();
            if (missing.Count > 0)
            {
                found.Add(Blocking("EnumLabelMissing", name, string.Join(", ", type.Labels), string.Join(", ", other.Labels),
                    $"The target's enum lacks {string.Join(", ", missing.Select(l => "'" + l + "'"))}; rows holding those values would be rejected."));
            }
            else if (!type.Labels.SequenceEqual(other.Labels.Where(type.Labels.Contains)))
            {
                found.Add(Warning("EnumLabelOrder", name, string.Join(", ", type.Labels), string.Join(", ", other.Labels),
                    "The labels are ordered differently; ORDER BY and comparisons on this enum give other results on the target."));
            }
            else if (other.Labels.Count > type.Labels.Count)
            {
                found.Add(Info("EnumLabelExtra", name, string.Join(", ", type.Labels), string.Join(", ", other.Labels),
                    "The target's enum has more labels than the source's."));
            }
        }
    }

    private static void CompareDomains(SchemaSnapshot source, SchemaSnapshot target, List<SchemaDifference> found)
    {
        foreach (var domain in source.Domains)
        {
            var name = domain.QualifiedName.ToString();
            var other = target.Domains.FirstOrDefault(d => d.QualifiedName == domain.QualifiedName);
            if (other is null)
            {
                found.Add(Blocking("MissingDomain", name, domain.BaseType, null, "The target has no such domain type; columns of this type cannot be created or filled."));
                continue;
            }
            if (other.BaseType != domain.BaseType)
                found.Add(Blocking("DomainType", name, domain.BaseType, other.BaseType, "The domain is built on another type on the target; values may be rejected or changed."));
            if (other.NotNull && !domain.NotNull)
                found.Add(Blocking("DomainNullability", name, "NULL", "NOT NULL", "The target's domain forbids NULL; any NULL would be rejected."));
            foreach (var check in other.Checks.Except(domain.Checks))
                found.Add(Blocking("DomainCheck", name, string.Join(" AND ", domain.Checks), check, "The target's domain checks a rule the source does not; values the source accepted may be rejected."));
        }
    }

    private static void CompareExtensions(SchemaSnapshot source, SchemaSnapshot target, List<SchemaDifference> found)
    {
        foreach (var extension in source.Extensions)
        {
            var other = target.Extensions.FirstOrDefault(e => e.Name == extension.Name);
            if (other is null)
                found.Add(Warning("MissingExtension", extension.Name, extension.Version, null,
                    "The target lacks this extension; types, functions and defaults that come from it will not work there."));
            else if (other.Version != extension.Version)
                found.Add(Info("ExtensionVersion", extension.Name, extension.Version, other.Version, "The extension's versions differ."));
        }
    }

    private static void CompareSequences(SchemaSnapshot source, SchemaSnapshot target, Func<QualifiedName, bool> include, List<SchemaDifference> found)
    {
        foreach (var sequence in source.Sequences.Where(s => s.OwnedBy is null || source.Tables.Any(t => include(t.QualifiedName) && s.OwnedBy.StartsWith(t.QualifiedName.Sql + ".", StringComparison.Ordinal))))
        {
            var name = sequence.QualifiedName.ToString();
            var other = target.Sequences.FirstOrDefault(s => s.QualifiedName == sequence.QualifiedName)
                        ?? (sequence.OwnedBy is null ? null : target.Sequences.FirstOrDefault(s => s.OwnedBy == sequence.OwnedBy));
            if (other is null)
            {
                found.Add(Warning("MissingSequence", name, sequence.OwnedBy ?? sequence.DataType, null,
                    "The target has no such sequence; its numbering cannot be carried over."));
                continue;
            }
            if (other.DataType != sequence.DataType || other.MaxValue < sequence.MaxValue)
                found.Add(new SchemaDifference
                {
                    Severity = other.MaxValue < sequence.MaxValue ? DifferenceSeverity.Warning : DifferenceSeverity.Info,
                    Kind = "SequenceType", Object = name, SourceValue = $"{sequence.DataType} (max {sequence.MaxValue})", TargetValue = $"{other.DataType} (max {other.MaxValue})",
                    Message = "The target's sequence runs out sooner; numbering may stop where the source's would go on.",
                });
            if (other.Increment != sequence.Increment || other.Cycle != sequence.Cycle)
                found.Add(Warning("SequenceIncrement", name, $"by {sequence.Increment}{(sequence.Cycle ? ", cycle" : "")}", $"by {other.Increment}{(other.Cycle ? ", cycle" : "")}",
                    "New rows are numbered differently on the target."));
            if (other.OwnedBy != sequence.OwnedBy)
                found.Add(Info("SequenceOwner", name, sequence.OwnedBy ?? "(none)", other.OwnedBy ?? "(none)", "The sequence belongs to another column on the target."));
        }
    }

    private static void CompareColumns(TableSchema table, TableSchema other, List<SchemaDifference> found)
    {
        foreach (var column in table.Columns)
        {
            var name = $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(column.Name)}";
            var target = other.FindColumn(column.Name);
            if (target is null)
            {
                if (column.IsGenerated)
                    found.Add(Warning("MissingColumn", name, column.DataType, null, "The target lacks this generated column; nothing is copied into it, but the target computes nothing either."));
                else
                    found.Add(Blocking("MissingColumn", name, column.DataType, null, "The target has no such column, so its values would be lost."));
                continue;
            }
            if (column.DataType != target.DataType)
                found.Add(Blocking("ColumnType", name, column.DataType, target.DataType, "The column types differ; values may be rejected, truncated or changed on the way."));
            if (!column.NotNull && target.NotNull)
                found.Add(Blocking("ColumnNullability", name, "NULL", "NOT NULL", "The target forbids NULL here while the source allows it; any NULL would be rejected."));
            else if (column.NotNull && !target.NotNull)
                found.Add(Info("ColumnNullability", name, "NOT NULL", "NULL", "The target allows NULL where the source does not."));
            if (column.IsGenerated != target.IsGenerated)
                found.Add(Blocking("ColumnGenerated", name, column.IsGenerated ? "generated" : "stored", target.IsGenerated ? "generated" : "stored",
                    column.IsGenerated ? "The target stores this column instead of computing it; it would be left empty." : "The target computes this column; the source's values cannot be written into it."));
            else if (column.IsGenerated && column.Default != target.Default)
                found.Add(Warning("ColumnGeneratedExpression", name, column.Default, target.Default, "The generated expression differs; the target computes other values."));
            if ((column.Identity.Length > 0) != (target.Identity.Length > 0))
                found.Add(Warning("ColumnIdentity", name, column.Identity.Length > 0 ? "identity" : "none", target.Identity.Length > 0 ? "identity" : "none",
                    "Only one side makes this an identity column; values are copied either way, but new rows are numbered differently."));
            if (column.Collation != target.Collation)
                found.Add(Warning("ColumnCollation", name, column.Collation ?? "(default)", target.Collation ?? "(default)", "The column sorts and compares differently on the target."));
            if (!column.IsGenerated && column.Default != target.Default && column.Identity.Length == 0 && !IsSequenceDefault(column.Default, target.Default))
                found.Add(Info("ColumnDefault", name, column.Default ?? "(none)", target.Default ?? "(none)", "Defaults differ; copied rows keep their values, new rows get the target's default."));
        }

        foreach (var extra in other.Columns.Where(c => table.FindColumn(c.Name) is null))
        {
            var name = $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(extra.Name)}";
            if (extra.NotNull && extra.Default is null && extra.Identity.Length == 0 && !extra.IsGenerated)
                found.Add(Blocking("ExtraColumnNotNull", name, null, extra.DataType, "The target requires a value here that the source cannot give (NOT NULL, no default); every row would be rejected."));
            else
                found.Add(Warning("ExtraColumn", name, null, extra.DataType, "Only the target has this column; copied rows get its default or NULL."));
        }

        var sourceOrder = table.Columns.Where(c => other.FindColumn(c.Name) is not null).Select(c => c.Name);
        var targetOrder = other.Columns.Where(c => table.FindColumn(c.Name) is not null).Select(c => c.Name);
        if (!sourceOrder.SequenceEqual(targetOrder))
            found.Add(Info("ColumnOrder", table.QualifiedName.ToString(), string.Join(", ", sourceOrder), string.Join(", ", targetOrder),
                "Columns stand in another order; the import maps them by name, so nothing is lost."));
    }

    // Serial defaults name their own sequence (nextval('users_id_seq'::regclass)); the same shape on both sides is not a difference.
    private static bool IsSequenceDefault(string? a, string? b) =>
        a is not null && b is not null && a.StartsWith("nextval(", StringComparison.Ordinal) && b.StartsWith("nextval(", StringComparison.Ordinal);

    private static void CompareConstraints(TableSchema table, TableSchema other, List<SchemaDifference> found)
    {
        foreach (var constraint in table.Constraints)
        {
            var name = $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(constraint.Name)}";
            var match = other.Constraints.FirstOrDefault(c => c.Type == constraint.Type && c.Definition == constraint.Definition)
                        ?? other.Constraints.FirstOrDefault(c => c.Name == constraint.Name && c.Type == constraint.Type);
            if (match is null)
            {
                found.Add(Warning("Missing" + constraint.TypeName, name, constraint.Definition, null,
                    constraint.IsForeignKey ? "The target does not enforce this relationship; data moves, but integrity is no longer guarded."
                                            : "The target does not enforce this constraint; data moves, but the rule is no longer guarded."));
                continue;
            }
            if (match.Definition != constraint.Definition)
            {
                var kind = constraint.IsForeignKey && (match.OnDelete != constraint.OnDelete || match.OnUpdate != constraint.OnUpdate)
                    ? "ForeignKeyAction" : constraint.TypeName + "Definition";
                var stricter = constraint.Type is "c" or "u" or "x" or "p";
                found.Add(new SchemaDifference
                {
                    Severity = stricter ? DifferenceSeverity.Blocking : DifferenceSeverity.Warning, Kind = kind, Object = name,
                    SourceValue = constraint.Definition, TargetValue = match.Definition,
                    Message = kind == "ForeignKeyAction"
                        ? "Deletes and updates cascade differently on the target; the application will behave differently after the move."
                        : stricter ? "The target's rule differs; rows the source accepted may be rejected." : "The constraint is defined differently on the target.",
                });
            }
        }

        foreach (var extra in other.Constraints.Where(c => !table.Constraints.Any(s => s.Type == c.Type && (s.Definition == c.Definition || s.Name == c.Name))))
        {
            var name = $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(extra.Name)}";
            found.Add(Blocking("Extra" + extra.TypeName, name, null, extra.Definition,
                extra.IsForeignKey ? "The target demands a relationship the source does not; rows without a match would be rejected."
                                   : "The target enforces a rule the source does not; rows the source accepted may be rejected."));
        }
    }

    private static void CompareIndexes(TableSchema table, TableSchema other, List<SchemaDifference> found)
    {
        // Indexes behind constraints are compared as constraints; the rest affect speed, or uniqueness when unique.
        foreach (var index in table.Indexes.Where(i => !i.BacksConstraint))
        {
            var name = $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(index.Name)}";
            var match = other.Indexes.FirstOrDefault(i => !i.BacksConstraint && i.Definition == index.Definition)
                        ?? other.Indexes.FirstOrDefault(i => !i.BacksConstraint && i.Name == index.Name);
            if (match is null)
                found.Add(Warning("MissingIndex", name, index.Definition, null,
                    index.IsUnique ? "The target lacks this unique index: duplicates would no longer be refused, and queries slow down."
                                   : "The target lacks this index; queries that use it will be slower."));
            else if (match.Definition != index.Definition)
                found.Add(new SchemaDifference
                {
                    Severity = match.IsUnique && !index.IsUnique ? DifferenceSeverity.Blocking : DifferenceSeverity.Warning,
                    Kind = "IndexDefinition", Object = name, SourceValue = index.Definition, TargetValue = match.Definition,
                    Message = match.IsUnique && !index.IsUnique ? "The target's index is unique where the source's is not; duplicate rows would be rejected." : "The index is defined differently on the target.",
                });
        }

        foreach (var extra in other.Indexes.Where(i => !i.BacksConstraint && !table.Indexes.Any(s => !s.BacksConstraint && (s.Definition == i.Definition || s.Name == i.Name))))
        {
            var name = $"{table.QualifiedName}.{Identifier.QuoteIfNeeded(extra.Name)}";
            found.Add(extra.IsUnique
                ? Blocking("ExtraUniqueIndex", name, null, extra.Definition, "The target enforces uniqueness the source does not; duplicate rows would be rejected.")
                : Warning("ExtraIndex", name, null, extra.Definition, "Only the target has this index; it slows the load a little and changes nothing else."));
        }
    }

    private static void ComparePrismaHistory(List<PrismaMigration>? source, List<PrismaMigration>? target, List<SchemaDifference> found)
    {
        if (source is null && target is null) return;
        if (source is null || target is null)
        {
            found.Add(Warning("PrismaHistory", SchemaSnapshot.PrismaHistoryTable, source is null ? "(none)" : $"{source.Count} migrations",
                target is null ? "(none)" : $"{target.Count} migrations", "Only one side has a Prisma migration history; the schemas were not made the same way."));
            return;
        }

        foreach (var migration in source.Where(m => m.Finished && !m.RolledBack))
        {
            var other = target.FirstOrDefault(m => m.Name == migration.Name && m.Finished && !m.RolledBack);
            if (other is null)
                found.Add(Blocking("PrismaMigrationMissing", migration.Name, "applied", target.Any(m => m.Name == migration.Name) ? "failed or rolled back" : "not applied",
                    "The target has not applied this migration; run `prisma migrate deploy` against it before importing."));
            else if (other.Checksum != migration.Checksum)
                found.Add(Warning("PrismaMigrationChecksum", migration.Name, migration.Checksum, other.Checksum,
                    "The migration file was edited after it was applied on one side; the schemas may differ in ways the history does not show."));
        }
        foreach (var migration in target.Where(m => m.Finished && !m.RolledBack && !source.Any(s => s.Name == m.Name && s.Finished && !s.RolledBack)))
            found.Add(Warning("PrismaMigrationExtra", migration.Name, "not applied", "applied", "The target has applied a migration the source has not."));
        foreach (var migration in target.Where(m => !m.Finished && !m.RolledBack))
            found.Add(Blocking("PrismaMigrationFailed", migration.Name, null, "started, not finished",
                "A migration failed half-way on the target; Prisma refuses to deploy until it is resolved, and the schema is in an unknown state."));
    }

    private static SchemaDifference Blocking(string kind, string obj, string? source, string? target, string message) =>
        new() { Severity = DifferenceSeverity.Blocking, Kind = kind, Object = obj, SourceValue = source, TargetValue = target, Message = message };

    private static SchemaDifference Warning(string kind, string obj, string? source, string? target, string message) =>
        new() { Severity = DifferenceSeverity.Warning, Kind = kind, Object = obj, SourceValue = source, TargetValue = target, Message = message };

    private static SchemaDifference Info(string kind, string obj, string? source, string? target, string message) =>
        new() { Severity = DifferenceSeverity.Info, Kind = kind, Object = obj, SourceValue = source, TargetValue = target, Message = message };
}
