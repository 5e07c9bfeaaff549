using System.Text.RegularExpressions;


namespace FonanaMigration.Engine.Mapping;

/// <summary>
/// Resolves a <see cref="MigrationMap"/> against the source and target schemas and lists every problem at once: names
/// that do not exist, decisions still pending, source data with no place on the target that the map does not name,
/// target columns that need a value, and Blocking differences the map leaves unresolved. The checks that need a server
/// (expressions type-check, refused labels hold no rows) are <see cref="MapServerCheck"/>'s.
/// </summary>
internal static class MigrationMapValidator
{
    // Differences this validator examines column by column itself (so they are not listed twice).
    private static readonly HashSet<string> CoveredKinds = new(StringComparer.Ordinal) { "MissingTable", "MissingColumn", "ExtraColumnNotNull" };

    public static MappedLoad Resolve(MigrationMap map, SchemaSnapshot source, SchemaSnapshot target, IReadOnlyList<QualifiedName> sourceTables)
    {
        var load = new MappedLoad();
        var problems = load.Problems;
        problems.AddRange(map.Undecided.Select(u => $"Undecided: {u}"));
        CheckNames(map, source, target, sourceTables, problems);

        var planned = new HashSet<QualifiedName>();
        foreach (var name in sourceTables)
        {
            var table = source.FindTable(name)!;
            var key = new MapKey(name.Schema, name.Name);
            map.Tables.TryGetValue(key, out var entry);
            if (entry is { Drop: true }) { load.Drops.Add(key); continue; }
            if (entry is { Decide: not null }) continue;
            var targetName = entry?.Target?.Table ?? name;
            var targetTable = target.FindTable(targetName);
            if (targetTable is null)
            {
                if (entry?.Target is null)
                    problems.Add($"The source table {name} has no place on the target and the map does not name it: add Tables['{key}'] = @{{ Drop = $true }} (its rows are discarded) or @{{ Target = 'schema.table' }}.");
                continue;
            }
            if (map.Tables.TryGetValue(new MapKey(targetName.Schema, targetName.Name), out var fill) && fill.From is not null)
                continue; // the target table is filled From a query instead (planned below)
            if (!planned.Add(targetName))
            {
                problems.Add($"Two source tables would fill {targetName}; a map renames at most one table onto another.");
                continue;
            }
            load.Plans.Add(PlanFromTable(map, table, targetTable, source, target, entry?.Target is not null, load));
        }

        foreach (var (key, entry) in map.Tables.Where(t => t.Value.From is not null))
        {
            var targetTable = target.FindTable(key.Table);
            if (targetTable is null || !planned.Add(key.Table)) continue;
            load.Plans.Add(new MappedTablePlan { Target = targetTable, From = entry.From, Rewritten = true });
        }

        // The Blocking differences the map itself resolves; the rest are problems.
        var included = sourceTables.ToHashSet();
        foreach (var difference in SchemaComparer.Compare(source, target, included.Contains).Where(d => d.Severity == DifferenceSeverity.Blocking))
        {
            if (CoveredKinds.Contains(difference.Kind) || ResolvedBy(map, difference, source, target)) continue;
            problems.Add($"Unresolved {difference.Kind} {difference.Object}: {difference.Message}{HowToResolve(difference)}");
        }

        // Rows holding a refused label stop the map before the load: they are counted in the source's rows.
        foreach (var (key, labels) in map.EnumLabels)
            foreach (var label in labels.Where(l => l.Value.RefuseRows).Select(l => l.Key))
                foreach (var table in sourceTables.Select(n => source.FindTable(n)!))
                    foreach (var column in table.CopiedColumns.Where(c => c.TypeKind == "e" && EnumTypeOf(c) == key.Table.ToString()))
                        load.Refused.Add((table, column, label));
        return load;
    }

    private static MappedTablePlan PlanFromTable(MigrationMap map, TableSchema table, TableSchema targetTable, SchemaSnapshot source, SchemaSnapshot target,
        bool renamed, MappedLoad load)
    {
        var problems = load.Problems;
        var columns = new List<(string, string)>();
        var rewritten = renamed;
        var expressions = new List<string>();
        foreach (var column in targetTable.CopiedColumns)
        {
            var targetKey = new MapKey(targetTable.Schema, targetTable.Name, column.Name);
            var sourceColumn = table.FindColumn(column.Name);
            map.Columns.TryGetValue(targetKey, out var entry);
            if (entry?.Expression is { } expression)
            {
                columns.Add((column.Name, "(" + expression + ")"));
                expressions.Add(expression);
                rewritten = true;
            }
            else if (entry?.Decide is not null) { rewritten = true; }
            else if (sourceColumn is not null && !sourceColumn.IsGenerated && !(map.Columns.TryGetValue(new MapKey(table.Schema, table.Name, column.Name), out var drop) && drop.Drop))
            {
                var relabel = EnumRelabel(map, source, sourceColumn);
                columns.Add((column.Name, relabel ?? "t." + Identifier.Quote(column.Name)));
                rewritten |= relabel is not null;
                if (renamed && sourceColumn.DataType != column.DataType && relabel is null)
                    problems.Add($"{table.QualifiedName}.{Identifier.QuoteIfNeeded(column.Name)} is {sourceColumn.DataType} but {targetTable.QualifiedName} has {column.DataType}: add Columns['{targetKey}'] = '<expression>'.");
            }
            else
            {
                rewritten = true;
                if (column.NotNull && column.Default is null && column.Identity.Length == 0)
                    problems.Add($"The target column {targetTable.QualifiedName}.{Identifier.QuoteIfNeeded(column.Name)} is NOT NULL without a default and the source gives it no value: add Columns['{targetKey}'] = '<SQL expression over the source row>'.");
            }
        }

        foreach (var column in table.CopiedColumns.Where(c => targetTable.FindColumn(c.Name) is null || IsDropped(map, table, c)))
        {
            var key = new MapKey(table.Schema, table.Name, column.Name);
            rewritten = true;
            if (IsDropped(map, table, column)) { load.Drops.Add(key); continue; }
            if (map.Columns.TryGetValue(key, out var pending) && pending.Decide is not null) continue;
            if (expressions.Any(e => Mentions(e, column.Name))) continue; // its values move through an expression
            problems.Add($"The source column {table.QualifiedName}.{Identifier.QuoteIfNeeded(column.Name)} has no place on the target and the map does not name it: its values would be lost. Add Columns['{key}'] = @{{ Drop = $true }}, or use it in an expression.");
        }
        return new MappedTablePlan { Target = targetTable, Source = table, Columns = columns, Rewritten = rewritten };
    }

    private static bool IsDropped(MigrationMap map, TableSchema table, ColumnSchema column) =>
        map.Columns.TryGetValue(new MapKey(table.Schema, table.Name, column.Name), out var entry) && entry.Drop;

    /// <summary>A CASE over the source value (or each element of an array) that renames the labels the map maps; null when none applies.</summary>
    private static string? EnumRelabel(MigrationMap map, SchemaSnapshot source, ColumnSchema column)
    {
        if (column.TypeKind != "e") return null;
        var type = source.Enums.FirstOrDefault(e => EnumTypeOf(column) == e.QualifiedName.ToString());
        if (type is null || !map.EnumLabels.TryGetValue(new MapKey(type.Schema, type.Name), out var labels)) return null;
        var renames = labels.Where(l => l.Value.To is not null).ToList();
        if (renames.Count == 0) return null;
        string Case(string value) =>
            $"CASE {value}::text {string.Join(" ", renames.Select(r => $"WHEN {Literal(r.Key)} THEN {Literal(r.Value.To!)}"))} ELSE {value}::text END";
        var quoted = "t." + Identifier.Quote(column.Name);
        return column.IsArray
            ? $"CASE WHEN {quoted} IS NULL THEN NULL ELSE ARRAY(SELECT {Case("u.x")} FROM unnest({quoted}) WITH ORDINALITY u(x, o) ORDER BY u.o) END"
            : Case(quoted);
    }

    internal static string EnumTypeOf(ColumnSchema column) => column.IsArray && column.DataType.EndsWith("[]", StringComparison.Ordinal) ? column.DataType[..^2] : column.DataType;

    internal static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    // A column name used in an expression, quoted or as a bare word.
    private static bool Mentions(string expression, string column) =>
        expression.Contains(Identifier.Quote(column), StringComparison.Ordinal)
        || Regex.IsMatch(expression, $@"(?<![\w""]){Regex.Escape(column)}(?![\w""])", RegexOptions.IgnoreCase);

    private static bool ResolvedBy(MigrationMap map, SchemaDifference difference, SchemaSnapshot source, SchemaSnapshot target)
    {
        switch (difference.Kind)
        {
            case "ColumnType" or "ColumnNullability" or "ColumnGenerated":
                // The map fills the target column from an expression: its values no longer come from the source column as they are.
                return map.Columns.Any(c => c.Value.Expression is not null && ColumnObject(c.Key) == difference.Object)
                    || map.Columns.Any(c => c.Value.Drop && ColumnObject(c.Key) == difference.Object);
            case "EnumLabelMissing":
                var type = source.Enums.FirstOrDefault(e => e.QualifiedName.ToString() == difference.Object);
                var targetType = target.Enums.FirstOrDefault(e => e.QualifiedName.ToString() == difference.Object);
                if (type is null || targetType is null || !map.EnumLabels.TryGetValue(new MapKey(type.Schema, type.Name), out var labels)) return false;
                return type.Labels.Except(targetType.Labels).All(l => labels.TryGetValue(l, out var m) && (m.RefuseRows || m.To is not null));
            default:
                return false;
        }
    }

    private static string ColumnObject(MapKey key) => $"{new QualifiedName(key.Schema, key.Name)}.{Identifier.QuoteIfNeeded(key.Column!)}";

    private static string HowToResolve(SchemaDifference difference) => difference.Kind switch
    {
        "ColumnType" or "ColumnNullability" => $" Add Columns['{Unquoted(difference.Object)}'] = '<SQL expression giving the target's type>'.",
        "EnumLabelMissing" => $" Add EnumLabels['{Unquoted(difference.Object)}'] = @{{ SOURCE_LABEL = 'TARGET_LABEL' }} for every missing label.",
        _ => "",
    };

    private static string Unquoted(string name) => name.Replace("\"", "");

    private static void CheckNames(MigrationMap map, SchemaSnapshot source, SchemaSnapshot target, IReadOnlyList<QualifiedName> sourceTables, List<string> problems)
    {
        foreach (var (key, entry) in map.Columns)
        {
            if (entry.Expression is not null)
            {
                var table = target.FindTable(key.Table);
                if (table is null) problems.Add($"Columns['{key}']: the target has no table {key.Table}.");
                else if (table.FindColumn(key.Column!) is not { } column) problems.Add($"Columns['{key}']: the target table {key.Table} has no column {Identifier.QuoteIfNeeded(key.Column!)}.");
                else if (column.IsGenerated) problems.Add($"Columns['{key}']: the target computes this column; it cannot be filled.");
            }
            else if (entry.Drop)
            {
                var table = source.FindTable(key.Table);
                if (table is null) problems.Add($"Columns['{key}']: the source has no table {key.Table}, so there is nothing to drop.");
                else if (table.FindColumn(key.Column!) is null) problems.Add($"Columns['{key}']: the source table {key.Table} has no column {Identifier.QuoteIfNeeded(key.Column!)}, so there is nothing to drop.");
            }
        }
        foreach (var (key, entry) in map.Tables)
        {
            if (entry.From is not null && target.FindTable(key.Table) is null)
                problems.Add($"Tables['{key}']: the target has no table {key.Table} to fill.");
            if ((entry.Drop || entry.Target is not null) && !sourceTables.Contains(key.Table))
                problems.Add($"Tables['{key}']: the source has no table {key.Table}{(source.FindTable(key.Table) is null ? "" : " among the tables being moved")}.");
            if (entry.Target is { } renamed && target.FindTable(renamed.Table) is null)
                problems.Add($"Tables['{key}'].Target: the target has no table {renamed.Table}.");
        }
        foreach (var (key, labels) in map.EnumLabels)
        {
            var type = source.Enums.FirstOrDefault(e => e.Schema == key.Schema && e.Name == key.Name);
            var targetType = target.Enums.FirstOrDefault(e => e.Schema == key.Schema && e.Name == key.Name);
            if (type is null) { problems.Add($"EnumLabels['{key}']: the source has no enum type {key.Table}."); continue; }
            if (targetType is null) { problems.Add($"EnumLabels['{key}']: the target has no enum type {key.Table}."); continue; }
            foreach (var (label, mapping) in labels)
            {
                if (!type.Labels.Contains(label)) problems.Add($"EnumLabels['{key}']['{label}']: the source's {key.Table} has no label '{label}' (it has {string.Join(", ", type.Labels)}).");
                if (mapping.To is { } to && !targetType.Labels.Contains(to)) problems.Add($"EnumLabels['{key}']['{label}']: the target's {key.Table} has no label '{to}' (it has {string.Join(", ", targetType.Labels)}).");
            }
        }
    }
}
