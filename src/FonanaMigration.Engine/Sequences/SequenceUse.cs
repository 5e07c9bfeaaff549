using Npgsql;

using FonanaMigration.Engine.Archive;

namespace FonanaMigration.Engine.Sequences;

/// <summary>
/// One column that draws numbers from a sequence: it owns it (serial, identity) or its DEFAULT calls it (nextval of a
/// standalone or shared sequence). Found from the catalog's dependencies, never from names, so a sequence created on
/// its own (older pg_dump output, hand-written or framework-made schemas) is found as surely as a serial one.
/// </summary>
internal sealed record SequenceUse(QualifiedName Table, string Column, string Sequence, bool IsInteger)
{
    // The first half: defaults whose expression depends on a sequence; the second: sequences owned by a column
    // (serial 'a', identity 'i'). Sequence names come quoted and schema-qualified, as ColumnSchema.OwnedSequence.
    private const string UsesSql = """
        WITH uses AS (
            SELECT d.adrelid AS rel, d.adnum AS att, dep.refobjid AS seq
            FROM pg_attrdef d
            JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid AND dep.refclassid = 'pg_class'::regclass
            UNION
            SELECT dep.refobjid, dep.refobjsubid, dep.objid
            FROM pg_depend dep
            WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
        )
        SELECT tn.nspname, t.relname, a.attname, quote_ident(sn.nspname) || '.' || quote_ident(s.relname),
               COALESCE(NULLIF(ty.typbasetype, 0), ty.oid) IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
        FROM uses u
        JOIN pg_class s ON s.oid = u.seq AND s.relkind = 'S'
        JOIN pg_namespace sn ON sn.oid = s.relnamespace
        JOIN pg_class t ON t.oid = u.rel AND t.relkind IN ('r', 'p')
        JOIN pg_namespace tn ON tn.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = u.rel AND a.attnum = u.att AND NOT a.attisdropped
        JOIN pg_type ty ON ty.oid = a.atttypid
        WHERE u.seq IN (SELECT u2.seq FROM uses u2 WHERE u2.rel = ANY(SELECT unnest(@tables)::regclass))
        ORDER BY 4, 1, 2, 3
        """;

    /// <summary>
    /// Every column of the database that uses a sequence that some column of <paramref name="tables"/> uses: a shared
    /// sequence must move past every table that draws from it, copied or not.
    /// </summary>
    public static async Task<List<SequenceUse>> ReadAsync(NpgsqlConnection connection, IEnumerable<QualifiedName> tables, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(UsesSql, connection);
        cmd.Parameters.AddWithValue("tables", tables.Select(t => t.Sql).ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var result = new List<SequenceUse>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
            result.Add(new SequenceUse(new QualifiedName(reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4)));
        return result;
    }

    /// <summary>The sequences the copied columns of <paramref name="tables"/> use, each with every column of the database that uses it.</summary>
    public static Dictionary<string, List<SequenceUse>> UsedBy(IEnumerable<SequenceUse> uses, IEnumerable<TableContent> tables)
    {
        var list = uses.ToList();
        var copied = tables.SelectMany(t => t.Columns.Select(c => (t.QualifiedName, c))).ToHashSet();
        return list.Where(u => copied.Contains((u.Table, u.Column))).Select(u => u.Sequence).Distinct()
            .ToDictionary(s => s, s => list.Where(u => u.Sequence == s).ToList());
    }

    /// <summary>last_value and is_called of a sequence; needs SELECT (or USAGE) on it.</summary>
    public static async Task<(long LastValue, bool IsCalled)> ReadPositionAsync(NpgsqlConnection connection, string sequence, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT last_value, is_called FROM {sequence}", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetBoolean(1));
    }
}
