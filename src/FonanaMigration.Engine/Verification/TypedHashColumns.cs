namespace FonanaMigration.Engine.Verification;

/// <summary>
/// Which of a table's columns <see cref="ChecksumAlgorithm.TypedHash"/> may hash by type, decided from the catalog.
/// A type hashes by type only when equal hashes mean the same data on any server: a BUILT-IN base type (oid &lt; 16384:
/// an extension's type such as citext may hash 'Abc' and 'abc' alike) with a default hash opclass that has the
/// extended hash (support function 2), reached through domains (base type), arrays (element), ranges and multiranges
/// (subtype), under deterministic collations only (a nondeterministic one hashes different strings alike). Everything
/// else — json, xml, geometric types, tsvector, composites, enums (their hash is the label's oid, which differs between
/// databases), interval ('1 day' and '24 hours' hash alike), aclitem (role oids) — goes into the row as its text,
/// under collation "C" so the text's exact bytes are hashed.
/// </summary>
internal static class TypedHashColumns
{
    // Walks each column's type down to its leaves and collects every collation on the way.
    private const string Sql = """
        WITH RECURSIVE walk(attname, typ, coll, top) AS (
            SELECT a.attname, a.atttypid, a.attcollation, true
            FROM pg_attribute a WHERE a.attrelid = @table::regclass AND a.attnum > 0 AND NOT a.attisdropped
          UNION ALL
            SELECT w.attname,
                   CASE WHEN t.typtype = 'd' THEN t.typbasetype WHEN t.typtype IN ('r', 'm') THEN r.rngsubtype ELSE t.typelem END,
                   COALESCE(r.rngcollation, 0), w.top AND t.typtype = 'd'
            FROM walk w JOIN pg_type t ON t.oid = w.typ
            LEFT JOIN pg_range r ON r.rngtypid = t.oid OR r.rngmultitypid = t.oid
            WHERE t.typtype IN ('d', 'r', 'm') OR t.typsubscript = 'array_subscript_handler'::regproc
        )
        SELECT w.attname,
               bool_and(
                   (w.coll = 0 OR (SELECT c.collisdeterministic FROM pg_collation c WHERE c.oid = w.coll))
                   AND (t.typtype IN ('d', 'r', 'm') OR t.typsubscript = 'array_subscript_handler'::regproc
                        OR (t.oid < 16384 AND t.typtype = 'b'
                            AND t.oid NOT IN ('interval'::regtype, 'aclitem'::regtype)
                            AND EXISTS (SELECT 1 FROM pg_opclass oc
                                        JOIN pg_am am ON am.oid = oc.opcmethod AND am.amname = 'hash'
                                        JOIN pg_amproc p ON p.amprocfamily = oc.opcfamily AND p.amprocnum = 2
                                             AND p.amproclefttype = oc.opcintype AND p.amprocrighttype = oc.opcintype
                                        WHERE oc.opcdefault AND oc.opcintype = t.oid)))),
               bool_or(w.top AND t.typsubscript = 'array_subscript_handler'::regproc)
        FROM walk w JOIN pg_type t ON t.oid = w.typ
        GROUP BY w.attname
        """;

    /// <summary>
    /// The ROW(...) fields that hash these columns of the table, read from <paramref name="connection"/>'s catalog.
    /// A typed array also contributes its dimensions: its hash covers only the elements, so '{1,2}' and '[0:1]={1,2}'
    /// would otherwise agree. A column the catalog does not know goes in as text.
    /// </summary>
    public static async Task<string> RowFieldsAsync(NpgsqlConnection connection, QualifiedName table, IReadOnlyList<string> columns, CancellationToken ct,
        IReadOnlySet<string>? asText = null)
    {
        var kinds = new Dictionary<string, (bool Typed, bool Array)>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(Sql, connection))
        {
            cmd.Parameters.AddWithValue("table", table.Sql);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) kinds[reader.GetString(0)] = (reader.GetBoolean(1), reader.GetBoolean(2));
        }
        return string.Join(", ", columns.Select(c =>
        {
            var column = "t." + Identifier.Quote(c);
            var kind = kinds.GetValueOrDefault(c);
            if (!kind.Typed || asText?.Contains(c) == true) return $"{column}::text COLLATE \"C\"";
            return kind.Array ? $"{column}, array_dims({column})" : column;
        }));
    }
}
