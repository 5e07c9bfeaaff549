using System.Globalization;
using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Timestamps that contradict each other or the clock, found by column name: an updatedAt earlier than its row's
/// createdAt (or an end before its start), and event times later than now plus a tolerance. Columns meant to lie in
/// the future (expires, endDate, scheduled…, …Until) are left out of the second check.
/// </summary>
internal static class TimestampCheck
{
    private static readonly string[] CreatedNames = { "createdat", "createdon", "created", "createddate", "creationdate", "datecreated" };
    private static readonly string[] UpdatedNames = { "updatedat", "updatedon", "updated", "updateddate", "modifiedat", "modifiedon", "lastmodified", "datemodified", "lastupdated" };
    private static readonly string[] StartNames = { "startdate", "startsat", "startat", "starttime", "startedat" };
    private static readonly string[] EndNames = { "enddate", "endsat", "endat", "endtime", "endedat" };
    private static readonly HashSet<string> FutureWords = new(StringComparer.Ordinal)
    {
        "expire", "expires", "expiry", "expiration", "expired", "end", "ends", "until", "due", "deadline", "schedule", "scheduled",
        "publish", "next", "valid", "start", "starts", "renew", "renews", "renewal", "remind", "reminder", "retry", "planned",
    };

    public static bool IsTemporal(ColumnSchema column) =>
        !column.IsArray && (column.DataType.StartsWith("timestamp", StringComparison.Ordinal) || column.DataType == "date");

    public static async Task RunAsync(IntegrityCheckContext scope)
    {
        foreach (var table in scope.Tables)
        {
            var temporal = table.Columns.Where(IsTemporal).OrderBy(c => c.Position).ToList();
            if (temporal.Count == 0) continue;
            var pairs = Pairs(temporal, CreatedNames, UpdatedNames).Concat(Pairs(temporal, StartNames, EndNames)).ToList();
            var future = temporal.Where(c => !ColumnWords.Split(c.Name).Any(FutureWords.Contains)).ToList();
            if (pairs.Count == 0 && future.Count == 0) continue;

            var tolerance = $"interval '{scope.Request.FutureTolerance.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)} seconds'";
            var orderPredicates = pairs.Select(p => $"t.{Identifier.Quote(p.Later.Name)} < t.{Identifier.Quote(p.Earlier.Name)}").ToList();
            var futurePredicates = future.Select(c => $"t.{Identifier.Quote(c.Name)} > now() + {tolerance}").ToList();
            var (rows, counts) = await TableScan.CountAsync(scope.Connection, table, orderPredicates.Concat(futurePredicates).ToList(), scope.CancellationToken).ConfigureAwait(false);
            scope.Context.Logger.LogInformation(EngineEvents.TimestampsChecked, "{Table}: {Pairs} timestamp pair(s) and {Future} event time(s) checked over {Rows} row(s).",
                table.QualifiedName.ToString(), pairs.Count, future.Count, rows);
            if (pairs.Count > 0) scope.Ran(IntegrityCheck.TimestampOrder, table);
            if (future.Count > 0) scope.Ran(IntegrityCheck.FutureTimestamp, table);

            var key = RowKey.For(table);
            for (var i = 0; i < pairs.Count; i++)
            {
                if (counts[i] == 0) continue;
                var (earlier, later) = pairs[i];
                var sample = await TableScan.SampleAsync(scope.Connection, table, key, orderPredicates[i], scope.Request.SampleSize, scope.CancellationToken,
                    $"t.{Identifier.Quote(earlier.Name)}::text || ' > ' || t.{Identifier.Quote(later.Name)}::text").ConfigureAwait(false);
                scope.Add(new IntegrityFinding
                {
                    Severity = IntegritySeverity.Warning,
                    Check = IntegrityCheck.TimestampOrder,
                    Table = table.QualifiedName.ToString(),
                    Column = later.Name,
                    Count = counts[i],
                    Examined = rows,
                    Sample = sample.Select(s => s.Key).ToList(),
                    Message = $"{counts[i]} of {rows} row(s) have {later.Name} earlier than {earlier.Name}, e.g. {sample[0].Key}: {sample[0].Extra}.",
                });
            }
            for (var i = 0; i < future.Count; i++)
            {
                var count = counts[pairs.Count + i];
                if (count == 0) continue;
                var column = future[i];
                var sample = await TableScan.SampleAsync(scope.Connection, table, key, futurePredicates[i], scope.Request.SampleSize, scope.CancellationToken,
                    $"t.{Identifier.Quote(column.Name)}::text").ConfigureAwait(false);
                scope.Add(new IntegrityFinding
                {
                    Severity = IntegritySeverity.Warning,
                    Check = IntegrityCheck.FutureTimestamp,
                    Table = table.QualifiedName.ToString(),
                    Column = column.Name,
                    Count = count,
                    Examined = rows,
                    Sample = sample.Select(s => s.Key).ToList(),
                    Message = $"{count} of {rows} row(s) have {column.Name} more than {scope.Request.FutureTolerance} in the future (UTC), e.g. {sample[0].Key}: {sample[0].Extra}.",
                });
            }
        }
    }

    private static IEnumerable<(ColumnSchema Earlier, ColumnSchema Later)> Pairs(List<ColumnSchema> columns, string[] earlierNames, string[] laterNames)
    {
        var earlier = columns.FirstOrDefault(c => earlierNames.Contains(ColumnWords.Compact(c.Name)));
        if (earlier is null) yield break;
        foreach (var later in columns.Where(c => laterNames.Contains(ColumnWords.Compact(c.Name))))
            yield return (earlier, later);
    }
}
