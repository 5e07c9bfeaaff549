namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// The tables to load and the foreign keys between them. Gives a load order in which every referenced table comes
/// before the tables that reference it. Self-references need no order (PostgreSQL checks a non-deferred foreign key at
/// the end of each statement, and one COPY loads the whole table). Cycles across tables cannot be ordered: the
/// foreign keys that close them are named in <see cref="CycleBreakers"/>, to be dropped and re-added around the load.
/// </summary>
public sealed class ForeignKeyGraph
{
    private ForeignKeyGraph(IReadOnlyList<QualifiedName> order, IReadOnlyList<(QualifiedName Table, ConstraintSchema ForeignKey)> breakers)
    {
        LoadOrder = order;
        CycleBreakers = breakers;
    }

    public IReadOnlyList<QualifiedName> LoadOrder { get; }
    public IReadOnlyList<(QualifiedName Table, ConstraintSchema ForeignKey)> CycleBreakers { get; }

    /// <param name="tables">The tables being loaded, with the foreign keys the target enforces.</param>
    /// <param name="schema">The whole target schema: a partition also obeys the foreign keys of its partitioned parents.</param>
    public static ForeignKeyGraph Build(IReadOnlyList<TableSchema> tables, SchemaSnapshot? schema = null)
    {
        var names = tables.Select(t => t.QualifiedName).ToList();
        var inSet = names.ToHashSet();
        // edges: child → parents it references (within the loaded set, self-references left out). A partition's own
        // list holds no inherited foreign key; those come from its ancestors and can only be ordered, never cut.
        var edges = tables.ToDictionary(
            t => t.QualifiedName,
            t => t.ForeignKeys.Select(fk => (ForeignKey: fk, Inherited: false))
                .Concat(InheritedForeignKeys(t, schema).Select(fk => (ForeignKey: fk, Inherited: true)))
                .Where(x => x.ForeignKey.ReferencedTable is { } r && inSet.Contains(r) && r != t.QualifiedName)
                .Select(x => (Parent: x.ForeignKey.ReferencedTable!.Value, x.ForeignKey, x.Inherited))
                .ToList());

        var breakers = new List<(QualifiedName, ConstraintSchema)>();
        var order = new List<QualifiedName>();
        var remaining = new SortedSet<QualifiedName>(names, Comparer<QualifiedName>.Create(CompareNames));
        while (remaining.Count > 0)
        {
            // Kahn's algorithm, deterministic: the first table (by name) whose parents are all loaded.
            var ready = remaining.FirstOrDefault(t => edges[t].All(e => !remaining.Contains(e.Parent)));
            if (ready != default)
            {
                order.Add(ready);
                remaining.Remove(ready);
                continue;
            }

            // Only cycles (and tables waiting on them) are left. Cut, on one table that lies on a cycle, the foreign
            // keys that lead back into its own cycle; the rest of the graph then orders normally.
            bool Reaches(QualifiedName from, QualifiedName to)
            {
                var seen = new HashSet<QualifiedName>();
                var stack = new Stack<QualifiedName>(new[] { from });
                while (stack.Count > 0)
                {
                    var node = stack.Pop();
                    if (node == to) return true;
                    if (!seen.Add(node)) continue;
                    foreach (var e in edges[node].Where(e => remaining.Contains(e.Parent))) stack.Push(e.Parent);
                }
                return false;
            }

            var (table, cut) = remaining
                .Select(t => (Table: t, Edges: edges[t].Where(e => !e.Inherited && remaining.Contains(e.Parent) && Reaches(e.Parent, t)).ToList()))
                .Where(x => x.Edges.Count > 0)
                .OrderBy(x => x.Edges.Count)
                .First();
            foreach (var edge in cut)
            {
                breakers.Add((table, edge.ForeignKey));
                edges[table].Remove(edge);
            }
        }
        return new ForeignKeyGraph(order, breakers);
    }

    private static IEnumerable<ConstraintSchema> InheritedForeignKeys(TableSchema table, SchemaSnapshot? schema)
    {
        for (var parent = table.PartitionOf; parent is { } name && schema?.FindTable(name) is { } ancestor; parent = ancestor.PartitionOf)
            foreach (var fk in ancestor.ForeignKeys) yield return fk;
    }

    private static int CompareNames(QualifiedName a, QualifiedName b)
    {
        var bySchema = string.CompareOrdinal(a.Schema, b.Schema);
        return bySchema != 0 ? bySchema : string.CompareOrdinal(a.Name, b.Name);
    }
}
