using System.Globalization;
using System.Text;

namespace FonanaMigration.Testing;

/// <summary>
/// Everything a failed migration could have changed in a database, read as the superuser: every table's row count and
/// content checksum, every sequence's last_value and is_called, every constraint and index definition, and each
/// table's row-security flags. Two fingerprints equal means "exactly as it was"; equal <see cref="Tables"/> with
/// another database means "every row arrived".
/// </summary>
public sealed class DatabaseFingerprint
{
    private DatabaseFingerprint(
        SortedDictionary<string, TableFingerprint> tables,
        SortedDictionary<string, string> sequences,
        string[] constraints,
        string[] indexes)
    {
        Tables = tables;
        Sequences = sequences;
        Constraints = constraints;
        Indexes = indexes;
    }

    public IReadOnlyDictionary<string, TableFingerprint> Tables { get; }

    /// <summary>"last_value|is_called" per sequence.</summary>
    public IReadOnlyDictionary<string, string> Sequences { get; }

    public IReadOnlyList<string> Constraints { get; }
    public IReadOnlyList<string> Indexes { get; }

    public long TotalRows => Tables.Values.Sum(table => table.Rows);

    private const string UserRelations =
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'";

    // Unit separator: no identifier a test makes contains it, unlike '|' or spaces.
    private const char Separator = '\u001f';

    /// <summary>
    /// One psql call for everything (a random-stop loop takes hundreds of these): query_to_xml runs each table's and
    /// sequence's own query from inside the one statement.
    /// </summary>
    public static DatabaseFingerprint Take(PostgresServer server, string database)
    {
        ArgumentNullException.ThrowIfNull(server);
        // The definitions come from the catalog caches, which see a concurrent commit that this statement's snapshot
        // does not: such a row reads "(changing)", and the change shows up when compared with a later fingerprint.
        var sql = $@"
WITH rel AS (
  SELECT c.oid, c.relkind, format('%I.%I', n.nspname, c.relname) AS name, c.relrowsecurity || '|' || c.relforcerowsecurity AS rls
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'S') AND {UserRelations}),
tab AS (SELECT * FROM rel WHERE relkind = 'r'),
seq AS (SELECT * FROM rel WHERE relkind = 'S')
SELECT line FROM (
  SELECT concat_ws(chr(31), 'T', name, (xpath('/row/c/text()', x))[1]::text, (xpath('/row/m/text()', x))[1]::text, rls) AS line
  FROM tab, LATERAL query_to_xml(format('SELECT count(*) AS c, md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) AS m FROM %s t', oid::regclass), false, true, '') x
  UNION ALL
  SELECT concat_ws(chr(31), 'S', name, (xpath('/row/l/text()', x))[1]::text || '|' || (xpath('/row/i/text()', x))[1]::text)
  FROM seq, LATERAL query_to_xml(format('SELECT last_value AS l, is_called AS i FROM %s', oid::regclass), false, true, '') x
  UNION ALL
  SELECT concat_ws(chr(31), 'C', conrelid::regclass || ' ' || conname || ' ' || coalesce(pg_get_constraintdef(c.oid), '(changing)') || ' ' || convalidated)
  FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {UserRelations}
  UNION ALL
  SELECT concat_ws(chr(31), 'I', coalesce(pg_get_indexdef(i.indexrelid), i.indexrelid || ' (changing)') || ' ' || i.indisvalid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserRelations}
) lines ORDER BY 1";
        var tables = new SortedDictionary<string, TableFingerprint>(StringComparer.Ordinal);
        var sequences = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var constraints = new List<string>();
        var indexes = new List<string>();
        foreach (var line in server.QueryScalar(database, sql).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(Separator);
            switch (fields[0])
            {
                case "T":
                    tables[fields[1]] = new TableFingerprint(long.Parse(fields[2], CultureInfo.InvariantCulture), fields[3], fields[4]);
                    break;
                case "S":
                    sequences[fields[1]] = fields[2];
                    break;
                case "C":
                    constraints.Add(fields[1]);
                    break;
                case "I":
                    indexes.Add(fields[1]);
                    break;
            }
        }
        return new DatabaseFingerprint(tables, sequences, constraints.ToArray(), indexes.ToArray());
    }

    /// <summary>What differs from another fingerprint, one line each; empty when the two are the same.</summary>
    public string[] Differences(DatabaseFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        Compare("table", Tables.ToDictionary(e => e.Key, e => e.Value.ToString()), other.Tables.ToDictionary(e => e.Key, e => e.Value.ToString()), differences);
        Compare("sequence", Sequences, other.Sequences, differences);
        foreach (var missing in Constraints.Except(other.Constraints)) differences.Add("constraint gone or changed: " + missing);
        foreach (var added in other.Constraints.Except(Constraints)) differences.Add("constraint new: " + added);
        foreach (var missing in Indexes.Except(other.Indexes)) differences.Add("index gone or changed: " + missing);
        foreach (var added in other.Indexes.Except(Indexes)) differences.Add("index new: " + added);
        return differences.ToArray();
    }

    /// <summary>Tables whose rows differ from another database's (count or content), one line each.</summary>
    public string[] TableDifferences(DatabaseFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        Compare("table", Tables.ToDictionary(e => e.Key, e => e.Value.RowsAndChecksum), other.Tables.ToDictionary(e => e.Key, e => e.Value.RowsAndChecksum), differences);
        return differences.ToArray();
    }

    /// <summary>Rows this fingerprint has that <paramref name="other"/> lacks, summed over tables (0 when nothing went missing).</summary>
    public long RowsMissingFrom(DatabaseFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Tables.Sum(entry => Math.Max(0, entry.Value.Rows - (other.Tables.TryGetValue(entry.Key, out var that) ? that.Rows : 0)));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, table) in Tables) text.Append(name).Append(' ').AppendLine(table.ToString());
        foreach (var (name, value) in Sequences) text.Append(name).Append(' ').AppendLine(value);
        text.Append(Constraints.Count).Append(" constraints, ").Append(Indexes.Count).AppendLine(" indexes");
        return text.ToString();
    }

    private static void Compare(string kind, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, List<string> differences)
    {
        foreach (var name in before.Keys.Union(after.Keys).OrderBy(n => n, StringComparer.Ordinal))
        {
            before.TryGetValue(name, out var was);
            after.TryGetValue(name, out var now);
            if (was != now)
            {
                differences.Add($"{kind} {name}: {was ?? "(none)"} -> {now ?? "(none)"}");
            }
        }
    }
}

/// <summary>One table: rows, md5 of its rows' text sorted, and "relrowsecurity|relforcerowsecurity".</summary>
public sealed record TableFingerprint(long Rows, string Checksum, string RowSecurity)
{
    public string RowsAndChecksum => $"{Rows} rows, md5 {Checksum}";
    public override string ToString() => $"{RowsAndChecksum}, row security {RowSecurity}";
}
