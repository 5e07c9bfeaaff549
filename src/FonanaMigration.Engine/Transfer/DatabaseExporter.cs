using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>
/// Export: one REPEATABLE READ, READ ONLY, DEFERRABLE transaction reads the schema, every table's rows and their
/// checksums from the same snapshot, so the archive is consistent even while the application keeps writing.
/// </summary>
public static class DatabaseExporter
{
    private static readonly EventId TableExported = new(300, "TableExported");
    private static readonly EventId Snapshot = new(301, "SnapshotOpened");
    private static readonly EventId Statement = new(302, "Statement");

    public static async Task<ArchiveInfo> ExportAsync(ExportRequest request, RunContext context)
    {
        var ct = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        if (File.Exists(request.Path) && !request.Force)
            throw new MigrationException(FailureKind.InvalidArgument, "ArchiveExists",
                $"The file '{Path.GetFullPath(request.Path)}' already exists. Use -Force to replace it.", request.Path);

        await using var connection = await ServerConnector.OpenAsync(request.Source, context, "export").ConfigureAwait(false);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
            await using (var mode = new NpgsqlCommand("SET TRANSACTION READ ONLY, DEFERRABLE", connection, tx))
                await mode.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            context.Logger.LogInformation(Snapshot, "Opened a REPEATABLE READ, READ ONLY, DEFERRABLE snapshot on {Endpoint}.", request.Source.DisplayName);

            var schema = await SchemaReader.ReadAsync(connection, context).ConfigureAwait(false);
            var tables = SelectTables(schema, request.Tables);
            await RowSecurityGuard.EnsureAllRowsVisibleAsync(connection, tables, ct).ConfigureAwait(false);

            using var writer = new ArchiveWriter(request.Path);
            var archived = new List<ArchivedTable>();
            for (var i = 0; i < tables.Count; i++)
                archived.Add(await ExportTableAsync(connection, writer, tables[i], i + 1, tables.Count, clock, context).ConfigureAwait(false));

            var manifest = new ArchiveManifest
            {
                ToolVersion = typeof(DatabaseExporter).Assembly.GetName().Version?.ToString(3) ?? "",
                CreatedAt = DateTimeOffset.UtcNow,
                Source = request.Source.DisplayName,
                SessionSettings = new() { ["DateStyle"] = "ISO, YMD", ["IntervalStyle"] = "postgres", ["TimeZone"] = "UTC", ["extra_float_digits"] = "3", ["bytea_output"] = "hex", ["client_encoding"] = "UTF8" },
                Schema = schema,
                Tables = archived,
            };
            var size = writer.Complete(manifest);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            context.Report(new TransferProgress("Export", "Done", null, 1, 1, size, clock.Elapsed, Completed: true));
            return ArchiveInfo.FromManifest(writer.Path, manifest, size, clock.Elapsed);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Source, ct);
        }
    }

    internal static List<TableSchema> SelectTables(SchemaSnapshot schema, TableFilter filter)
    {
        // Partitioned parents hold no rows of their own: their leaf partitions are exported, each row exactly once.
        var candidates = schema.Tables.Where(t => t.Kind == "r").ToList();
        var unmatched = filter.UnmatchedPatterns(candidates.Select(t => t.QualifiedName)).ToList();
        if (unmatched.Count > 0)
            throw new MigrationException(FailureKind.ObjectNotFound, "TableNotFound",
                $"No table matches {string.Join(", ", unmatched.Select(p => "'" + p + "'"))}.", unmatched[0]);
        return candidates.Where(t => filter.Includes(t.QualifiedName)).ToList();
    }

    private static async Task<ArchivedTable> ExportTableAsync(NpgsqlConnection connection, ArchiveWriter writer, TableSchema table,
        int number, int total, Stopwatch clock, RunContext context)
    {
        var ct = context.CancellationToken;
        var started = clock.Elapsed;
        var columns = table.CopiedColumns.Select(c => c.Name).ToList();
        var content = await ContentChecksum.ComputeAsync(connection, table.QualifiedName, columns, ct).ConfigureAwait(false);
        var sequences = await ReadSequencesAsync(connection, table, ct).ConfigureAwait(false);
        var format = CopyFormat.For(table);
        var entryName = $"data/{number:D4}.{(format == CopyFormat.Binary ? "bin" : "copy")}";

        long bytes, lines;
        string sha;
        await using (var entry = writer.CreateEntry(entryName, format))
        {
            var copy = CopyFormat.CopyOutSql(table.QualifiedName, columns, format);
            context.Logger.LogDebug(Statement, "{Sql}", copy);
            void Report(long rows) => context.Report(new TransferProgress("Export",
                $"Table {number}/{total}: {table.QualifiedName}", table.QualifiedName.ToString(), rows, content.Rows, entry.Bytes, clock.Elapsed));
            if (format == CopyFormat.Binary)
            {
                await using var raw = await connection.BeginRawBinaryCopyAsync(copy, ct).ConfigureAwait(false);
                await CopyPump.BytesAsync(raw, entry, () => entry.Rows, Report, ct).ConfigureAwait(false);
            }
            else
            {
                using var reader = await connection.BeginTextExportAsync(copy, ct).ConfigureAwait(false);
                await CopyPump.TextToBytesAsync(reader, entry, Report, ct).ConfigureAwait(false);
            }
            await entry.FlushAsync(ct).ConfigureAwait(false);
            bytes = entry.Bytes;
            lines = entry.Rows;
            sha = entry.HashHex();
        }

        // Both readings come from the same snapshot; a difference means something is badly wrong, never "close enough".
        if (lines != content.Rows)
            throw new MigrationException(FailureKind.VerificationFailed, "ExportRowCountMismatch",
                $"{table.QualifiedName}: COPY produced {lines} rows but count(*) in the same snapshot says {content.Rows}.", table.QualifiedName.ToString());

        context.Logger.LogInformation(TableExported, "Exported {Table}: {Rows} rows, {Bytes} bytes in {Elapsed}.",
            table.QualifiedName.ToString(), lines, bytes, clock.Elapsed - started);
        return new ArchivedTable
        {
            Schema = table.Schema, Name = table.Name, Columns = columns, Rows = lines, ContentChecksum = content.Checksum,
            Entry = entryName, Sha256 = sha, Bytes = bytes, DataFormat = format, Sequences = sequences,
        };
    }

    internal static async Task<List<SequenceState>> ReadSequencesAsync(NpgsqlConnection connection, TableSchema table, CancellationToken ct)
    {
        var result = new List<SequenceState>();
        foreach (var column in table.Columns.Where(c => c.OwnedSequence is not null))
        {
            await using var cmd = new NpgsqlCommand($"SELECT last_value, is_called FROM {column.OwnedSequence}", connection);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            result.Add(new SequenceState { Column = column.Name, Sequence = column.OwnedSequence!, LastValue = reader.GetInt64(0), IsCalled = reader.GetBoolean(1) });
        }
        return result;
    }
}
