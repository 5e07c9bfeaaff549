using System.Net;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>
/// Media references that will break on the new host: URLs pointing at the old machine itself (localhost, 127.0.0.1,
/// 0.0.0.0) and, given the directory the application serves media from, paths whose file is not there. Each distinct
/// reference is looked at once; the server groups them, so only distinct values and one key each are read.
/// </summary>
internal static class MediaReferenceCheck
{
    private static readonly EventId Checked = new(630, "MediaChecked");

    public static async Task RunAsync(InspectionScope scope)
    {
        var request = scope.Request;
        var root = request.MediaRoot is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.MediaRoot));
        foreach (var table in scope.Tables)
        {
            var columns = await MediaColumns.FindAsync(scope, table).ConfigureAwait(false);
            if (columns.Count == 0) continue;
            scope.Ran(IntegrityCheck.MediaLocalhost, table);
            if (root is not null) scope.Ran(IntegrityCheck.MediaMissing, table);
            var key = RowKey.For(table);
            foreach (var column in columns)
                await CheckColumnAsync(scope, table, key, column, root).ConfigureAwait(false);
        }
    }

    private static async Task CheckColumnAsync(InspectionScope scope, TableSchema table, RowKey key, MediaColumns.MediaColumn column, string? root)
    {
        var request = scope.Request;
        var pattern = column.ByName ? MediaColumns.NamedColumnPattern(request.MediaPathPrefixes) : MediaColumns.ReferencePattern(request.MediaPathPrefixes);
        var sql = $"SELECT s.v, min({key.Sql("t")}) FROM {TableScan.From(table)} t {column.Text.Strings("t")} WHERE s.v ~ {pattern} GROUP BY s.v";

        long urls = 0, files = 0;
        var localhost = new List<(string Value, string Key)>();
        var missing = new List<(string Value, string Key)>();
        await using (var cmd = new NpgsqlCommand(sql, scope.Connection))
        await using (var reader = await cmd.ExecuteReaderAsync(scope.CancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(scope.CancellationToken).ConfigureAwait(false))
            {
                var value = reader.GetString(0);
                var rowKey = reader.GetString(1);
                string? path;
                if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) continue;
                    urls++;
                    var ours = request.MediaBaseUri is { } b && SameOrigin(uri, b);
                    var local = IsLocalHost(uri);
                    if (local && !ours) localhost.Add((value, rowKey));
                    // Only our own URLs name files we can look for; another host (a CDN) serves its own.
                    path = (local || ours) && HasPrefix(uri.AbsolutePath, request.MediaPathPrefixes) ? Uri.UnescapeDataString(uri.AbsolutePath) : null;
                }
                else
                {
                    path = StripQuery(value);
                    path = path.Contains('%') ? Uri.UnescapeDataString(path) : path;
                }
                if (path is null || root is null) continue;
                files++;
                if (!ExistsUnder(root, path)) missing.Add((value, rowKey));
            }
        }
        var name = InspectionScope.ColumnName(table, column.Text.Name);
        scope.Context.Logger.LogInformation(Checked, "{Column}: {Urls} distinct URL(s), {Local} on localhost; {Files} file reference(s) checked, {Missing} missing.",
            name, urls, localhost.Count, files, missing.Count);

        if (localhost.Count > 0)
        {
            var origins = localhost.Select(l => new Uri(l.Value).GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase).Take(3).ToList();
            var advice = request.MediaBaseUri is { } b
                ? $" Rewrite them: Update-FonanaMediaUrl -From '{origins[0]}' -To '{b.GetLeftPart(UriPartial.Authority)}'."
                : $" Rewrite them with Update-FonanaMediaUrl -From '{origins[0]}' -To '<the new host>'.";
            scope.Add(new IntegrityFinding
            {
                Severity = request.MediaBaseUri is null ? IntegritySeverity.Warning : IntegritySeverity.Error,
                Check = IntegrityCheck.MediaLocalhost,
                Table = table.QualifiedName.ToString(),
                Column = column.Text.Name,
                Count = localhost.Count,
                Examined = urls,
                Sample = SampleKeys(localhost, request.SampleSize),
                Message = $"{localhost.Count} of {urls} distinct URL(s) point at {string.Join(", ", origins)}, which only the old machine can serve, e.g. {localhost[0].Value}.{advice}",
            });
        }
        if (missing.Count > 0)
        {
            scope.Add(new IntegrityFinding
            {
                Severity = IntegritySeverity.Error,
                Check = IntegrityCheck.MediaMissing,
                Table = table.QualifiedName.ToString(),
                Column = column.Text.Name,
                Count = missing.Count,
                Examined = files,
                Sample = SampleKeys(missing, request.SampleSize),
                Message = $"{missing.Count} of {files} distinct file reference(s) have no file under {root}, e.g. {missing.OrderBy(m => m.Value, StringComparer.Ordinal).First().Value}.",
            });
        }
    }

    private static IReadOnlyList<string> SampleKeys(List<(string Value, string Key)> items, int size) =>
        items.Select(i => i.Key).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).Take(size).ToList();

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
