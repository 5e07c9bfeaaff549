using System.Net;
using FonanaMigration.Engine.Scans;

namespace FonanaMigration.Engine.Integrity;

/// <summary>
/// Media references that will break on the new host: URLs pointing at the old machine itself (localhost, 127.0.0.1,
/// 0.0.0.0) and, given the directory the application serves media from, paths whose file is not there. Each distinct
/// reference is looked at once; the server groups them, so only distinct values and one key each are read.
/// </summary>
internal static class MediaReferenceCheck
{
    public static async Task RunAsync(IntegrityCheckContext scope)
    {
        var request = scope.Request;
        var root = request.MediaRoot is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.MediaRoot));
        foreach (var table in scope.Tables)
        {
            var columns = MediaColumns.Candidates(table);
            if (columns.Count == 0) continue;
            var tallies = await CollectAsync(scope, table, columns, root).ConfigureAwait(false);
            // A column is a media column when its name says so or a value looks like a reference.
            var media = tallies.Where(t => t.Column.ByName || t.References > 0).ToList();
            if (media.Count == 0) continue;
            scope.Ran(IntegrityCheck.MediaLocalhost, table);
            if (root is not null) scope.Ran(IntegrityCheck.MediaMissing, table);
            foreach (var tally in media)
            {
                scope.Context.Logger.LogInformation(EngineEvents.MediaChecked, "{Column}: {Urls} distinct URL(s), {Local} on localhost; {Files} file reference(s) checked, {Missing} missing.",
                    TableScan.ColumnName(table, tally.Column.Text.Name), tally.Urls, tally.Localhost.Count, tally.Files, tally.Missing.Count);
                Report(scope, table, tally, root);
            }
        }
    }

    private sealed class ColumnTally(MediaColumns.MediaColumn column, int sampleSize)
    {
        public MediaColumns.MediaColumn Column { get; } = column;
        public long References { get; set; }
        public long Urls { get; set; }
        public long Files { get; set; }
        public ReferenceTally Localhost { get; } = new(sampleSize);
        public ReferenceTally Missing { get; } = new(sampleSize);
    }

    /// <summary>
    /// One pass over the table: every candidate column contributes its strings that start like a reference, the server
    /// groups them, and each distinct reference arrives once with the smallest key of a row holding it.
    /// </summary>
    private static async Task<List<ColumnTally>> CollectAsync(IntegrityCheckContext scope, TableSchema table, IReadOnlyList<MediaColumns.MediaColumn> columns, string? root)
    {
        var request = scope.Request;
        var branches = columns.Select((c, i) => Branch(c, i, MediaColumns.Starts(c, request.MediaPathPrefixes)));
        var key = RowKey.For(table);
        var sql = $"SELECT s.c, s.v, min({key.Sql("t")}) FROM {TableScan.From(table)} t CROSS JOIN LATERAL ({string.Join(" UNION ALL ", branches)}) s GROUP BY s.c, s.v";

        var tallies = columns.Select(c => new ColumnTally(c, request.SampleSize)).ToList();
        await using var cmd = new NpgsqlCommand(sql, scope.Connection);
        await using var reader = await cmd.ExecuteReaderAsync(scope.CancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(scope.CancellationToken).ConfigureAwait(false))
            Classify(tallies[reader.GetInt32(0)], reader.GetString(1), reader.GetString(2), request, root);
        return tallies;
    }

    /// <summary>The strings of one column that start like a reference; a cheap test on the whole value comes first, so documents without any are not taken apart.</summary>
    private static string Branch(MediaColumns.MediaColumn column, int index, string starts)
    {
        var col = $"t.{column.Text.Quoted}";
        var pattern = Literal.Quote("^(?:" + starts + ")");
        // In the text form an array element starts after '{' or ',' (and a quote when quoted); a JSON string after its quote.
        var inArray = Literal.Quote("(?:^\\{|,)\"?(?:" + starts + ")");
        var inJson = Literal.Quote("\"(?:" + starts + ")");
        return column.Text.Shape switch
        {
            TextShape.Scalar => $"SELECT {index} AS c, {col}::text AS v WHERE {col} ~ {pattern}",
            TextShape.Array => $"SELECT {index} AS c, u.v::text AS v FROM unnest({col}) AS u(v) WHERE {col}::text ~ {inArray} AND u.v ~ {pattern}",
            _ => $"SELECT {index} AS c, j.e #>> '{{}}' AS v FROM jsonb_path_query({col}::jsonb, 'strict $.**') AS j(e) WHERE {col}::text ~ {inJson} " +
                 $"AND jsonb_typeof(j.e) = 'string' AND (j.e #>> '{{}}') ~ {pattern}",
        };
    }

    private static void Classify(ColumnTally tally, string value, string rowKey, IntegrityRequest request, string? root)
    {
        tally.References++;
        string? path;
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) return;
            tally.Urls++;
            var ours = request.MediaBaseUri is { } b && SameOrigin(uri, b);
            var local = IsLocalHost(uri);
            if (local && !ours) tally.Localhost.Add(value, rowKey, uri.GetLeftPart(UriPartial.Authority));
            // Only our own URLs name files we can look for; another host (a CDN) serves its own.
            path = (local || ours) && HasPrefix(uri.AbsolutePath, request.MediaPathPrefixes) ? Uri.UnescapeDataString(uri.AbsolutePath) : null;
        }
        else
        {
            path = StripQuery(value);
            path = path.Contains('%') ? Uri.UnescapeDataString(path) : path;
        }
        if (path is null || root is null) return;
        tally.Files++;
        if (!ExistsUnder(root, path)) tally.Missing.Add(value, rowKey);
    }

    private static void Report(IntegrityCheckContext scope, TableSchema table, ColumnTally tally, string? root)
    {
        var request = scope.Request;
        if (tally.Localhost.Count > 0)
        {
            var origins = tally.Localhost.Origins;
            var advice = request.MediaBaseUri is { } b
                ? $" Rewrite them: Update-FonanaMediaUrl -From '{origins[0]}' -To '{b.GetLeftPart(UriPartial.Authority)}'."
                : $" Rewrite them with Update-FonanaMediaUrl -From '{origins[0]}' -To '<the new host>'.";
            scope.Add(new IntegrityFinding
            {
                Severity = request.MediaBaseUri is null ? IntegritySeverity.Warning : IntegritySeverity.Error,
                Check = IntegrityCheck.MediaLocalhost,
                Table = table.QualifiedName.ToString(),
                Column = tally.Column.Text.Name,
                Count = tally.Localhost.Count,
                Examined = tally.Urls,
                Sample = tally.Localhost.Keys,
                Message = $"{tally.Localhost.Count} of {tally.Urls} distinct URL(s) point at {string.Join(", ", origins)}, which only the old machine can serve, e.g. {tally.Localhost.Example}.{advice}",
            });
        }
        if (tally.Missing.Count > 0)
        {
            scope.Add(new IntegrityFinding
            {
                Severity = IntegritySeverity.Error,
                Check = IntegrityCheck.MediaMissing,
                Table = table.QualifiedName.ToString(),
                Column = tally.Column.Text.Name,
                Count = tally.Missing.Count,
                Examined = tally.Files,
                Sample = tally.Missing.Keys,
                Message = $"{tally.Missing.Count} of {tally.Files} distinct file reference(s) have no file under {root}, e.g. {tally.Missing.Example}.",
            });
        }
    }

    internal static bool IsLocalHost(Uri uri)
    {
        var host = uri.DnsSafeHost;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme.Equals(b.Scheme, StringComparison.OrdinalIgnoreCase) && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static bool HasPrefix(string path, IReadOnlyList<string> prefixes) => prefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal));

    private static string StripQuery(string path)
    {
        var end = path.IndexOfAny(new[] { '?', '#' });
        return end < 0 ? path : path[..end];
    }

    /// <summary>True when the file exists inside <paramref name="root"/>; a path that climbs out of it (..) does not count.</summary>
    private static bool ExistsUnder(string root, string path)
    {
        var full = Path.GetFullPath(Path.Combine(root, path.TrimStart('/', '\\')));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full);
    }
}
