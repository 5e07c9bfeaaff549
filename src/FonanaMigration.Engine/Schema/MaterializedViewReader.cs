using Npgsql;


namespace FonanaMigration.Engine.Schema;

/// <summary>
/// Reads the database's materialized views in dependency order (a view that reads another comes after it), each with
/// the tables it reads: pg_rewrite holds a view's query, and pg_depend links that rule to the relations it uses, so a
/// view on a view is followed down to the tables.
/// </summary>
internal static class MaterializedViewReader
{
    private const string ViewsSql = """
        SELECT c.oid, n.nspname, c.relname, c.relispopulated,
               ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'm' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
        ORDER BY n.nspname, c.relname
        """;

    // Every relation each view or materialized view reads (its own rule's self-reference left out).
    private const string EdgesSql = """
        SELECT DISTINCT r.ev_class, d.refobjid, rc.relkind::text, rn.nspname, rc.relname
        FROM pg_rewrite r
        JOIN pg_class vc ON vc.oid = r.ev_class AND vc.relkind IN ('v', 'm')
        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
        JOIN pg_class rc ON rc.oid = d.refobjid
        JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        """;

    public static async Task<List<MaterializedViewSchema>> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var views = new List<(uint Oid, MaterializedViewSchema View)>();
        await using (var cmd = new NpgsqlCommand(ViewsSql, connection))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                views.Add((reader.GetFieldValue<uint>(0), new MaterializedViewSchema
                {
                    Schema = reader.GetString(1), Name = reader.GetString(2), Populated = reader.GetBoolean(3),
                    Columns = reader.GetFieldValue<string[]>(4).ToList(),
                }));
        if (views.Count == 0) return new List<MaterializedViewSchema>();

        var reads = new Dictionary<uint, List<(uint Oid, string Kind, QualifiedName Name)>>();
        await using (var cmd = new NpgsqlCommand(EdgesSql, connection))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var from = reader.GetFieldValue<uint>(0);
                if (!reads.TryGetValue(from, out var list)) reads[from] = list = new();
                list.Add((reader.GetFieldValue<uint>(1), reader.GetString(2), new QualifiedName(reader.GetString(3), reader.GetString(4))));
            }

        var viewOids = views.Select(v => v.Oid).ToHashSet();
        var byOid = views.ToDictionary(v => v.Oid, v => v.View);
        var ordered = new List<MaterializedViewSchema>();
        var placed = new HashSet<uint>();
        foreach (var (oid, _) in views) Place(oid, new HashSet<uint>());
        return ordered;

        // Depth-first: the materialized views a view reads (through plain views too) are placed before it.
        void Place(uint oid, HashSet<uint> visiting)
        {
            if (placed.Contains(oid) || !visiting.Add(oid)) return;
            var tables = new HashSet<QualifiedName>();
            Walk(oid, tables, new HashSet<uint>(), visiting);
            var view = byOid[oid];
            view.DependsOnTables.AddRange(tables.OrderBy(t => t.ToString(), StringComparer.Ordinal));
            placed.Add(oid);
            ordered.Add(view);
        }

        void Walk(uint oid, HashSet<QualifiedName> tables, HashSet<uint> seen, HashSet<uint> visiting)
        {
            if (!seen.Add(oid) || !reads.TryGetValue(oid, out var list)) return;
            foreach (var (refOid, kind, name) in list)
            {
                if (kind is "r" or "p") tables.Add(name);
                else if (kind == "m" && viewOids.Contains(refOid)) { Place(refOid, visiting); Walk(refOid, tables, seen, visiting); }
                else if (kind == "v") Walk(refOid, tables, seen, visiting);
            }
        }
    }
}
