using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Text that was damaged on its way in: U+FFFD (what a decoder writes for bytes it could not read, so the original is
/// lost) and mojibake (UTF-8 read as a single-byte code page and stored again; see <see cref="MojibakePattern"/>).
/// Also the database's own encoding: anything but UTF8 either rejects characters or, as SQL_ASCII, stores any bytes
/// unchecked. Every text, varchar, array and JSON column is matched by the server, one pass per table.
/// </summary>
internal static class EncodingCheck
{
    private static readonly string Replacement = Literal.Quote(PostgresRegex.Char('\uFFFD'));
    private static readonly string Mojibake = Literal.Quote(MojibakePattern.Detect);
    private static readonly string Fragment = Literal.Quote(MojibakePattern.Fragment);

    public static async Task RunAsync(IntegrityCheckContext scope)
    {
        // The patterns are Unicode; in any other server encoding they mean something else (or nothing), so only the encoding is reported.
        if (!CheckServer(scope)) return;
        foreach (var table in scope.Tables)
        {
            var columns = TextColumn.Of(table);
            if (columns.Count == 0) continue;
            var predicates = columns.SelectMany(c => new[] { $"{c.AsText("t")} ~ {Mojibake}", $"{c.AsText("t")} ~ {Replacement}" }).ToList();
            var (rows, counts) = await TableScan.CountAsync(scope.Connection, table, predicates, scope.CancellationToken).ConfigureAwait(false);
            scope.Ran(IntegrityCheck.EncodingMojibake, table);
            scope.Ran(IntegrityCheck.EncodingReplacementChar, table);
            scope.Context.Logger.LogInformation(EngineEvents.EncodingChecked, "{Table}: {Columns} text column(s) of {Rows} row(s) checked for damaged text.", table.QualifiedName.ToString(), columns.Count, rows);

            var key = RowKey.For(table);
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                if (counts[2 * i] > 0)
                {
                    var sample = await TableScan.SampleAsync(scope.Connection, table, key, predicates[2 * i], scope.Request.SampleSize, scope.CancellationToken,
                        $"substring({column.AsText("t")} FROM {Fragment})").ConfigureAwait(false);
                    scope.Add(new IntegrityFinding
                    {
                        Severity = IntegritySeverity.Error,
                        Check = IntegrityCheck.EncodingMojibake,
                        Table = table.QualifiedName.ToString(),
                        Column = column.Name,
                        Count = counts[2 * i],
                        Examined = rows,
                        Sample = sample.Select(s => s.Key).ToList(),
                        Message = $"{counts[2 * i]} of {rows} row(s) hold mojibake (UTF-8 read in a single-byte code page and stored again), " + Describe(sample[0].Extra),
                    });
                }
                if (counts[2 * i + 1] > 0)
                {
                    var sample = await TableScan.SampleAsync(scope.Connection, table, key, predicates[2 * i + 1], scope.Request.SampleSize, scope.CancellationToken).ConfigureAwait(false);
                    scope.Add(new IntegrityFinding
                    {
                        Severity = IntegritySeverity.Warning,
                        Check = IntegrityCheck.EncodingReplacementChar,
                        Table = table.QualifiedName.ToString(),
                        Column = column.Name,
                        Count = counts[2 * i + 1],
                        Examined = rows,
                        Sample = sample.Select(s => s.Key).ToList(),
                        Message = $"{counts[2 * i + 1]} of {rows} row(s) contain U+FFFD (\uFFFD), the mark a decoder leaves for bytes it could not read; the original characters are lost and must come from elsewhere.",
                    });
                }
            }
        }
    }

    private static string Describe(string? fragment)
    {
        if (fragment is null) return "see the sample rows.";
        var repair = MojibakePattern.Repair(fragment);
        return repair is { } r
            ? $"e.g. '{fragment}', which is '{r.Original}' read as {r.CodePage}."
            : $"e.g. '{fragment}'.";
    }

    /// <returns>True when the database is UTF8, so its text can be checked.</returns>
    private static bool CheckServer(IntegrityCheckContext scope)
    {
        var encoding = scope.Schema.Server.Encoding;
        scope.Runs.Add(new IntegrityCheckedTable(IntegrityCheck.EncodingServer, "(database)"));
        if (string.Equals(encoding, "UTF8", StringComparison.OrdinalIgnoreCase)) return true;
        var sqlAscii = string.Equals(encoding, "SQL_ASCII", StringComparison.OrdinalIgnoreCase);
        scope.Add(new IntegrityFinding
        {
            Severity = sqlAscii ? IntegritySeverity.Error : IntegritySeverity.Warning,
            Check = IntegrityCheck.EncodingServer,
            Table = "(database)",
            Message = sqlAscii
                ? $"The database '{scope.Schema.Database}' uses SQL_ASCII: the server stores whatever bytes a client sends, unchecked, so text can be in any (or a mixed) encoding, and it was not checked for mojibake. Move the data to a UTF8 database."
                : $"The database '{scope.Schema.Database}' uses {encoding}, not UTF8: characters outside {encoding} (emoji, and Cyrillic in a Latin encoding) cannot be stored. The engine always talks UTF8 (client_encoding), and the server converts. Text was not checked for mojibake.",
        });
        return false;
    }
}
