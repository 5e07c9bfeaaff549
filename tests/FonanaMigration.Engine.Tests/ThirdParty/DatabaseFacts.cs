using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// What a database holds, read as the superuser with our own SQL (not the engine's), so a test compares source and
/// target independently of the code under test. Text forms are fixed (UTC, ISO dates, exact floats) so servers in
/// different time zones print equal values equally.
/// </summary>
internal static class DatabaseFacts
{
    private const string Settings = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'; ";

    private const string UserRelations = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'";

    /// <summary>schema.table → "rows:checksum", the checksum over each row's columns taken in column-name order.</summary>
    public static Dictionary<string, string> Tables(PostgresServer server, string database) => Lines(server, database, $$"""
        SELECT c.oid::regclass::text || '|' || (xpath('/row/x/text()', query_to_xml(format(
                 'SELECT count(*) || '':'' || md5(coalesce(string_agg(h, '''' ORDER BY h), '''')) AS x FROM (SELECT md5(ROW(%s)::text) AS h FROM ONLY %s) t',
                 (SELECT coalesce(string_agg(quote_ident(a.attname), ', ' ORDER BY a.attname), '') FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                 c.oid::regclass), false, true, '')))[1]::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND {{UserRelations}} ORDER BY 1
        """);

    /// <summary>Every foreign key by table and name → whether it is validated.</summary>
    public static Dictionary<string, string> ForeignKeys(PostgresServer server, string database) => Lines(server, database,
        "SELECT conrelid::regclass::text || '.' || conname || '|' || convalidated || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' ORDER BY 1");

    /// <summary>Every materialized view → populated, and when populated its rows' count and checksum.</summary>
    public static Dictionary<string, string> MaterializedViews(PostgresServer server, string database) => Lines(server, database, $$"""
        SELECT c.oid::regclass::text || '|' || c.relispopulated || ' ' || CASE WHEN c.relispopulated THEN (xpath('/row/x/text()', query_to_xml(format(
                 'SELECT count(*) || '':'' || md5(coalesce(string_agg(h, '''' ORDER BY h), '''')) AS x FROM (SELECT md5(t::text) AS h FROM %s t) s', c.oid::regclass),
                 false, true, '')))[1]::text ELSE '' END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'm' AND {{UserRelations}} ORDER BY 1
        """);

    /// <summary>
    /// Every column whose values come from a sequence (serial, identity, or any DEFAULT calling nextval, found through
    /// pg_depend, not by name) where the sequence's position is below the largest value in use: the next INSERT
    /// through that default would collide. Empty when every such INSERT succeeds.
    /// </summary>
    public static List<string> SequencesBehindTheirColumns(PostgresServer server, string database) => Lines(server, database, $$"""
        WITH uses AS (
            SELECT dep.refobjid AS seq, d.adrelid AS rel, d.adnum AS col
            FROM pg_attrdef d JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid AND dep.refclassid = 'pg_class'::regclass
            JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
            UNION
            SELECT dep.objid, dep.refobjid, dep.refobjsubid
            FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
            WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i') AND dep.refobjsubid > 0
        ), measured AS (
            SELECT u.seq, u.rel, a.attname,
                   (xpath('/row/m/text()', query_to_xml(format('SELECT max(%I)::text AS m FROM %s', a.attname, u.rel::regclass), false, true, '')))[1]::text::numeric AS max_value,
                   pg_sequence_last_value(u.seq) AS position
            FROM uses u JOIN pg_attribute a ON a.attrelid = u.rel AND a.attnum = u.col
            JOIN pg_class r ON r.oid = u.rel AND r.relkind IN ('r', 'p') AND NOT r.relispartition
        )
        SELECT rel::regclass::text || '.' || attname || '|' || seq::regclass::text || ' at ' || coalesce(position::text, 'start') || ', column max ' || max_value
        FROM measured WHERE max_value > coalesce(position, 0) ORDER BY 1
        """).Select(kv => kv.Key + " uses " + kv.Value).ToList();

    private static Dictionary<string, string> Lines(PostgresServer server, string database, string sql) =>
        server.QueryScalar(database, Settings + sql).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
}
