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

    public static DatabaseFingerprint Take(PostgresServer server, string database)
    {
        ArgumentNullException.ThrowIfNull(server);
        var tables = new SortedDictionary<string, TableFingerprint>(StringComparer.Ordinal);
        var tableRows = Lines(server.QueryScalar(database,
            "SELECT format('%I.%I', n.nspname, c.relname) || '|' || c.relrowsecurity || '|' || c.relforcerowsecurity "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + $"WHERE c.relkind = 'r' AND {UserRelations} ORDER BY 1"));
        // Every table's count and checksum in one statement, so they all come from one snapshot.
        var names = tableRows.Select(row => SplitLast(row, 2)).ToList();
        if (names.Count > 0)
        {
            var query = string.Join(" UNION ALL ", names.Select(n =>
                $"SELECT {SqlQuote.Literal(n.Name)} || '|' || count(*) || '|' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {n.Name} t"));
            foreach (var line in Lines(server.QueryScalar(database, query)))
            {
                var (name, rest) = SplitLast(line, 2);
                var parts = rest.Split('|');
                var security = names.First(n => n.Name == name).Fields;
                tables[name] = new TableFingerprint(long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], security);
            }
        }

        var sequences = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var sequenceNames = Lines(server.QueryScalar(database,
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + $"WHERE c.relkind = 'S' AND {UserRelations} ORDER BY 1"));
        if (sequenceNames.Length > 0)
        {
            var query = string.Join(" UNION ALL ", sequenceNames.Select(name =>
                $"SELECT {SqlQuote.Literal(name)} || '|' || last_value || '|' || is_called FROM {name}"));
            foreach (var line in Lines(server.QueryScalar(database, query)))
            {
                var (name, rest) = SplitLast(line, 2);
                sequences[name] = rest;
            }
        }

        var constraints = Lines(server.QueryScalar(database,
            "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(c.oid) || ' ' || convalidated "
            + "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            + $"WHERE {UserRelations} ORDER BY 1"));
        var indexes = Lines(server.QueryScalar(database,
            "SELECT pg_get_indexdef(i.indexrelid) || ' ' || i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            + $"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {UserRelations} ORDER BY 1"));
        return new DatabaseFingerprint(tables, sequences, constraints, indexes);
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

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Splits "name|a|b" into the name (which may itself hold '|') and the last <paramref name="fields"/> fields.</summary>
    private static (string Name, string Fields) SplitLast(string line, int fields)
    {
        var cut = line.Length;
        for (var i = 0; i < fields; i++)
        {
            cut = line.LastIndexOf('|', cut - 1);
        }
        return (line[..cut], line[(cut + 1)..]);
    }
}

/// <summary>One table: rows, md5 of its rows' text sorted, and "relrowsecurity|relforcerowsecurity".</summary>
public sealed record TableFingerprint(long Rows, string Checksum, string RowSecurity)
{
    public string RowsAndChecksum => $"{Rows} rows, md5 {Checksum}";
    public override string ToString() => $"{RowsAndChecksum}, row security {RowSecurity}";
}
