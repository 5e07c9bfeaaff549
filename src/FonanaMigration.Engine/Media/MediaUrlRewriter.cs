using System.Diagnostics;
using FonanaMigration.Engine.Scans;
using FonanaMigration.Engine.Selection;
using FonanaMigration.Engine.Verification;

namespace FonanaMigration.Engine.Media;

/// <summary>
/// Rewrites the prefix of stored media references (http://localhost:3000/uploads/… → https://fonana.example/uploads/…)
/// in every text column, text array and JSON document of the chosen tables, in one transaction. A value is rewritten
/// only where the prefix is followed by '/', '?', '#' or the end, so http://localhost:3000 never touches
/// http://localhost:30001. Plain text only changes when the whole value starts with the prefix: a URL in the middle
/// of a bio is left alone. In JSON, every string value that starts with the prefix is rewritten (a key that does, too).
/// </summary>
public static class MediaUrlRewriter
{
    /// <summary>Counts, in a read-only snapshot, the rows each column would have rewritten; columns with none are left out.</summary>
    public static async Task<IReadOnlyList<MediaUrlChange>> PlanAsync(MediaUrlRewriteRequest request, RunContext context)
    {
        var (from, to) = Validate(request);
        try
        {
            await using var snapshot = await ReadOnlySnapshot.OpenAsync(request.Target, context, "media plan").ConfigureAwait(false);
            var schema = await SchemaReader.ReadAsync(snapshot.Connection, context).ConfigureAwait(false);
            var tables = TableSelection.Select(schema, request.Tables);
            var candidates = tables.SelectMany(t => TextColumn.Of(t).Select(c => (Table: t, Column: c))).ToList();
            var unmatched = request.Columns.UnmatchedPatterns(candidates.Select(c => (c.Table.QualifiedName, c.Column.Name))).ToList();
            if (unmatched.Count > 0)
                throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.ColumnNotFound,
                    $"No text, array or JSON column matches {string.Join(", ", unmatched.Select(p => "'" + p + "'"))}.", unmatched[0]);

            var plan = new List<MediaUrlChange>();
            foreach (var group in candidates.Where(c => request.Columns.Includes(c.Table.QualifiedName, c.Column.Name)).GroupBy(c => c.Table))
            {
                var columns = group.Select(g => g.Column).ToList();
                var (_, counts) = await TableScan.CountAsync(snapshot.Connection, group.Key, columns.Select(c => Statement(c, from, to).Predicate).ToList(),
                    context.CancellationToken).ConfigureAwait(false);
                for (var i = 0; i < columns.Count; i++)
                {
                    if (counts[i] == 0) continue;
                    context.Logger.LogInformation(EngineEvents.MediaUrlPlanned, "{Column}: {Rows} row(s) start with {From}.",
                        TableScan.ColumnName(group.Key, columns[i].Name), counts[i], from);
                    plan.Add(Change(group.Key, columns[i].Column, counts[i], from, to));
                }
            }
            return plan;
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Target, context.CancellationToken);
        }
    }

    /// <summary>
    /// Rewrites the planned columns in one transaction and reports the rows each UPDATE changed. Any error, or
    /// cancellation (Ctrl+C), rolls every column back.
    /// </summary>
    public static async Task<IReadOnlyList<MediaUrlChange>> RewriteAsync(MediaUrlRewriteRequest request, IReadOnlyList<MediaUrlChange> plan, RunContext context)
    {
        var (from, to) = Validate(request);
        var ct = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        try
        {
            await using var connection = await ServerConnector.OpenAsync(request.Target, context, "media rewrite").ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var schema = await SchemaReader.ReadAsync(connection, context).ConfigureAwait(false);
            var done = new List<MediaUrlChange>();
            for (var i = 0; i < plan.Count; i++)
            {
                var planned = plan[i];
                var table = schema.Tables.FirstOrDefault(t => t.QualifiedName.ToString() == planned.Table)
                            ?? throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.TableNotFound, $"The table {planned.Table} no longer exists.", planned.Table);
                var column = table.FindColumn(planned.Column) is { } c ? TextColumn.From(c) : null;
                if (column is null)
                    throw new MigrationException(FailureKind.ObjectNotFound, ErrorIds.ColumnNotFound, $"The column {planned.Table}.{planned.Column} no longer exists or holds no text.", planned.Column);

                context.Report(new TransferProgress("Rewriting media URLs", $"{planned.Table}.{planned.Column}", planned.Table, i, plan.Count, 0, clock.Elapsed));
                var statement = Statement(column, from, to);
                await using var cmd = new NpgsqlCommand($"UPDATE {table.QualifiedName.Sql} AS t SET {column.Quoted} = {statement.NewValue} WHERE {statement.Predicate}", connection, tx);
                var rows = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                context.Logger.LogInformation(EngineEvents.MediaUrlRewritten, "{Column}: rewrote {Rows} row(s).", TableScan.ColumnName(table, column.Name), rows);
                done.Add(Change(table, column.Column, rows, from, to));
            }
            // The last moment Ctrl+C can still undo everything.
            ct.ThrowIfCancellationRequested();
            await tx.CommitAsync(ct).ConfigureAwait(false);
            context.Report(new TransferProgress("Rewriting media URLs", "Done", null, plan.Count, plan.Count, 0, clock.Elapsed, Completed: true));
            return done;
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Target, ct);
        }
    }

    private static MediaUrlChange Change(TableSchema table, ColumnSchema column, long rows, string from, string to) => new()
    {
        Table = table.QualifiedName.ToString(), Column = column.Name, DataType = column.DataType, RowsChanged = rows, From = from, To = to,
    };

    /// <summary>Which rows to change and their new value, for each way a column holds text.</summary>
    private static (string Predicate, string NewValue) Statement(TextColumn column, string from, string to)
    {
        var prefix = PostgresRegex.Escape(from);
        var starts = Literal.Quote("^" + prefix + "(?=[/?#]|$)");
        var fromLength = $"length({Literal.Quote(from)})";
        var toText = Literal.Quote(to);
        var col = $"t.{column.Quoted}";
        switch (column.Shape)
        {
            case TextShape.Scalar:
                return ($"{col} ~ {starts}", $"{toText} || substr({col}, {fromLength} + 1)");
            case TextShape.Array:
                return ($"EXISTS (SELECT 1 FROM unnest({col}) AS u(v) WHERE u.v ~ {starts})",
                    $"ARRAY(SELECT CASE WHEN u.v ~ {starts} THEN {toText} || substr(u.v, {fromLength} + 1) ELSE u.v END " +
                    $"FROM unnest({col}) WITH ORDINALITY AS u(v, i) ORDER BY u.i)::{column.Column.DataType}");
            default:
                // In the JSON text a string value starts with an unescaped quote; the prefix must be followed by / ? # or its closing quote.
                var inJson = Literal.Quote("(?<!\\\\)\"" + prefix + "(?=[/?#\"])");
                return ($"{col}::text ~ {inJson}",
                    $"regexp_replace({col}::text, {inJson}, {Literal.Quote("\"" + to.Replace("\\", "\\\\"))}, 'g')::{column.Column.DataType}");
        }
    }

    private static (string From, string To) Validate(MediaUrlRewriteRequest request)
    {
        var from = Normalize(request.From, "From");
        var to = Normalize(request.To, "To");
        if (from == to)
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.MediaUrlPrefixInvalid, $"-From and -To are the same ('{from}'): nothing to rewrite.", request.From);
        return (from, to);
    }

    /// <summary>An absolute http(s) URI without query or fragment, or a path starting with '/'; the trailing '/' is dropped.</summary>
    private static string Normalize(string value, string parameter)
    {
        var text = value.Trim();
        var trimmed = text.Length > 1 ? text.TrimEnd('/') : text;
        var isUrl = Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    && uri.Query.Length == 0 && uri.Fragment.Length == 0;
        var isPath = trimmed.StartsWith('/') && trimmed.Length > 1 && !trimmed.StartsWith("//", StringComparison.Ordinal);
        // Quotes, backslashes and control characters would need escaping inside JSON text; no URL prefix needs them.
        var clean = trimmed.All(c => c > ' ' && c != '"' && c != '\\' && c != '\u007F');
        if ((!isUrl && !isPath) || !clean)
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.MediaUrlPrefixInvalid,
                $"-{parameter} '{value}' must be an http(s) URL without query or fragment (https://fonana.example) or a path starting with '/' (/uploads), without spaces, quotes or backslashes.", value);
        return trimmed;
    }
}
