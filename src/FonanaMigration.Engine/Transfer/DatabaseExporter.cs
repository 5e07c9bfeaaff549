using System.Diagnostics;
using FonanaMigration.Engine.Verification;
using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Export: the schema, every table's rows and their checksums come from one <see cref="SourceSnapshot"/>, so the
/// archive is consistent even while the application keeps writing. The file appears only when it is complete.
/// </summary>
public static class DatabaseExporter
{
    public static async Task<ArchiveInfo> ExportAsync(ExportRequest request, RunContext context)
    {
        var ct = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        if (File.Exists(request.Path) && !request.Force)
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.ArchiveExists,
                $"The file '{Path.GetFullPath(request.Path)}' already exists. Use -Force to replace it.", request.Path);

        await using var snapshot = await SourceSnapshot.OpenAsync(request.Source, request.Tables, "export", context, request.LockTimeout).ConfigureAwait(false);
        try
        {
            using var writer = new ArchiveWriter(request.Path);
            var archived = new List<TableContent>();
            var totalRows = snapshot.Tables.Sum(t => t.Rows);
            for (var i = 0; i < snapshot.Tables.Count; i++)
            {
                var done = archived.Sum(t => t.Rows);
                archived.Add(await ExportTableAsync(snapshot, writer, snapshot.Tables[i], i + 1, done, totalRows, clock, context).ConfigureAwait(false));
            }

            var manifest = new ArchiveManifest
            {
                // A version-1 reader would check typed checksums as text and call the data different: it must refuse instead.
                FormatVersion = snapshot.Checksum == ChecksumAlgorithm.RowText ? ArchiveManifest.RowTextFormatVersion : ArchiveManifest.CurrentFormatVersion,
                ChecksumAlgorithm = snapshot.Checksum.Name,
                ToolVersion = typeof(DatabaseExporter).Assembly.GetName().Version?.ToString(3) ?? "",
                CreatedAt = DateTimeOffset.UtcNow,
                Source = request.Source.DisplayName,
                SessionSettings = new(Connections.SessionSettings.ValueSettings),
                Schema = snapshot.Schema,
                Tables = archived,
            };
            var size = writer.Complete(manifest);
            context.Report(new TransferProgress("Export", "Done", null, 1, 1, size, clock.Elapsed, Completed: true));
            return ArchiveInfo.FromManifest(writer.Path, manifest, size, clock.Elapsed);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Source, ct);
        }
    }

    private static async Task<TableContent> ExportTableAsync(SourceSnapshot snapshot, ArchiveWriter writer, TableContent table,
        int number, long doneRows, long totalRows, Stopwatch clock, RunContext context)
    {
        var ct = context.CancellationToken;
        var started = clock.Elapsed;
        var format = table.DataFormat;
        var entryName = $"data/{number:D4}.{(format == CopyFormat.Binary ? "bin" : "copy")}";

        long bytes, rows;
        string sha;
        await using (var entry = writer.CreateEntry(entryName, format))
        {
            var copy = CopyFormat.CopyOutSql(table.QualifiedName, table.Columns, format);
            context.Logger.LogDebug(EngineEvents.CopyOutStatement, "{Sql}", copy);
            void Report(long n, long moved) => context.Report(new TransferProgress("Export",
                $"Table {number}/{snapshot.Tables.Count}: {table.Table}", table.Table, doneRows + n, totalRows, moved, clock.Elapsed));
            // The source is watched: a link that stops moving bytes fails as TransferStalled instead of hanging.
            using var watch = new StallWatch(context.StallTimeout, table.Table);
            if (format == CopyFormat.Binary)
            {
                await using var raw = await watch.RunAsync("source", t => snapshot.Reader.BeginRawBinaryCopyAsync(copy, t), ct).ConfigureAwait(false);
                await CopyPump.BytesAsync(watch.Guard(raw, "source"), entry, () => entry.Rows, Report, ct).ConfigureAwait(false);
            }
            else
            {
                using var reader = await watch.RunAsync("source", t => snapshot.Reader.BeginTextExportAsync(copy, t), ct).ConfigureAwait(false);
                await CopyPump.TextToBytesAsync(watch.Guard(reader, "source"), entry, Report, ct).ConfigureAwait(false);
            }
            await entry.FlushAsync(ct).ConfigureAwait(false);
            bytes = entry.Bytes;
            rows = entry.Rows;
            sha = entry.HashHex();
        }

        // Both readings come from the same snapshot; a difference means something is badly wrong, never "close enough".
        var content = await snapshot.ChecksumAsync(table, ct).ConfigureAwait(false);
        if (rows != content.Rows)
            throw new MigrationException(FailureKind.VerificationFailed, ErrorIds.ExportRowCountMismatch,
                $"{table.Table}: COPY produced {rows} rows but count(*) in the same snapshot says {content.Rows}.", table.Table);

        context.Logger.LogInformation(EngineEvents.TableExported, "Exported {Table}: {Rows} rows, {Bytes} bytes in {Elapsed}.", table.Table, rows, bytes, clock.Elapsed - started);
        return new TableContent
        {
            Schema = table.Schema, Name = table.Name, Columns = table.Columns, Rows = rows, ContentChecksum = content.Checksum,
            Entry = entryName, Sha256 = sha, Bytes = bytes, DataFormat = format, Sequences = table.Sequences,
        };
    }
}
