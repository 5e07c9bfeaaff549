using System.Globalization;
using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Compares the timestamps of the same rows (by primary key) on the source and the target. A constant offset of whole
/// hours is the signature of a time-zone mistake: a `timestamp without time zone` written in local time by one side,
/// or a dump restored with another TimeZone. Reads a spread-out sample (ordered by a hash of the key), not whole tables.
/// </summary>
internal static class TimestampShiftCheck
{
    private const long MicrosPerHour = 3_600_000_000L;
    private const long MicrosPerQuarterHour = 900_000_000L;

    public static async Task RunAsync(IntegrityCheckContext scope, NpgsqlConnection source, SchemaSnapshot sourceSchema)
    {
        foreach (var table in scope.Tables)
        {
            var sourceTable = sourceSchema.FindTable(table.QualifiedName);
            if (sourceTable is null) continue;
            var key = RowKey.For(table);
            if (key.Columns.Count == 0 || key.Columns.Any(c => sourceTable.FindColumn(c) is null)) continue;
            var columns = table.Columns.Where(TimestampCheck.IsTemporal)
                .Where(c => sourceTable.FindColumn(c.Name) is { } s && TimestampCheck.IsTemporal(s)).OrderBy(c => c.Position).ToList();
            if (columns.Count == 0) continue;

            var micros = string.Join(", ", columns.Select(c => $"CASE WHEN isfinite(t.{Identifier.Quote(c.Name)}) THEN (extract(epoch FROM t.{Identifier.Quote(c.Name)}) * 1000000)::bigint END"));
            var sourceRows = await ReadAsync(source, $"SELECT {key.Sql("t")}, {micros} FROM {TableScan.From(sourceTable)} t ORDER BY md5({key.Sql("t")}) LIMIT {scope.Request.ShiftSampleRows}",
                null, columns.Count, scope.CancellationToken).ConfigureAwait(false);
            if (sourceRows.Count == 0) { scope.Ran(IntegrityCheck.TimestampShift, table); continue; }

            var keyMatch = key.Columns.Count == 1
                ? $"t.{Identifier.Quote(key.Columns[0])} = ANY(CAST(@keys AS text[])::{table.FindColumn(key.Columns[0])!.DataType}[])"
                : $"{key.Sql("t")} = ANY(@keys)";
            var targetRows = await ReadAsync(scope.Connection, $"SELECT {key.Sql("t")}, {micros} FROM {TableScan.From(table)} t WHERE {keyMatch}",
                sourceRows.Keys.ToArray(), columns.Count, scope.CancellationToken).ConfigureAwait(false);
            scope.Ran(IntegrityCheck.TimestampShift, table);
            scope.Context.Logger.LogInformation(EngineEvents.TimestampsCompared, "{Table}: compared {Columns} timestamp column(s) of {Rows} sampled row(s) with the source.",
                table.QualifiedName.ToString(), columns.Count, targetRows.Count);

            for (var i = 0; i < columns.Count; i++)
            {
                var compared = 0L;
                var differing = new List<(string Key, long Offset)>();
                foreach (var (k, values) in targetRows)
                {
                    if (!sourceRows.TryGetValue(k, out var expected) || expected[i] is not { } was || values[i] is not { } now) continue;
                    compared++;
                    if (now != was) differing.Add((k, now - was));
                }
                if (differing.Count == 0) continue;
                scope.Add(Finding(scope, table, columns[i], compared, differing));
            }
        }
    }

    private static IntegrityFinding Finding(IntegrityCheckContext scope, TableSchema table, ColumnSchema column, long compared, List<(string Key, long Offset)> differing)
    {
        var offsets = differing.Select(d => d.Offset).Distinct().ToList();
        string what;
        if (offsets.Count == 1)
        {
            var offset = offsets[0];
            var zone = offset % MicrosPerHour == 0 ? " (whole hours: a time-zone mistake, e.g. a timestamp without time zone written in local time)"
                : offset % MicrosPerQuarterHour == 0 ? " (a multiple of 15 minutes: probably a time-zone mistake)" : "";
            what = $"{(differing.Count == compared ? "all" : differing.Count + " of")} {compared} sampled row(s) are shifted by {Format(offset)} against the source{zone}";
        }
        else
        {
            what = $"{differing.Count} of {compared} sampled row(s) differ from the source, by {Format(offsets.Min())} to {Format(offsets.Max())}";
        }
        var sample = differing.Select(d => d.Key).OrderBy(k => k, StringComparer.Ordinal).Take(scope.Request.SampleSize).ToList();
        return new IntegrityFinding
        {
            Severity = IntegritySeverity.Error,
            Check = IntegrityCheck.TimestampShift,
            Table = table.QualifiedName.ToString(),
            Column = column.Name,
            Count = differing.Count,
            Examined = compared,
            Sample = sample,
            Message = $"{column.Name}: {what}.",
        };
    }

    /// <summary>+03:00:00, -00:00:01.5, +1.02:00:00.</summary>
    public static string Format(long micros)
    {
        var span = TimeSpan.FromTicks(Math.Abs(micros) * 10);
        var text = span.ToString("c", CultureInfo.InvariantCulture);
        if (span.Ticks % TimeSpan.TicksPerSecond != 0) text = text.TrimEnd('0');
        return (micros < 0 ? "-" : "+") + text;
    }

    private static async Task<Dictionary<string, long?[]>> ReadAsync(NpgsqlConnection connection, string sql, string[]? keys, int columns, CancellationToken ct)
    {
        var result = new Dictionary<string, long?[]>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(sql, connection);
        if (keys is not null) cmd.Parameters.Add(new NpgsqlParameter<string[]>("keys", keys));
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var values = new long?[columns];
            for (var i = 0; i < columns; i++) values[i] = reader.IsDBNull(i + 1) ? null : reader.GetInt64(i + 1);
            result[reader.GetString(0)] = values;
        }
        return result;
    }
}
