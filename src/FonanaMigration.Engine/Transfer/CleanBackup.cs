using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Sequences;
using FonanaMigration.Engine.Streams;
using FonanaMigration.Engine.Verification;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// -Clean -BackupPath: an archive of exactly the tables the load is about to empty, read through the load's own
/// connection after it locked them against writers and before its TRUNCATE, so the backup holds every row the TRUNCATE
/// removes and nothing else (tables are named, never matched as patterns). The archive is read back (SHA-256 and rows
/// of every entry) and synced to disk, file and folder, before the caller may delete anything.
/// </summary>
internal static class CleanBackup
{
    private static readonly EventId Written = EngineEvents.BackupWritten;

    public static async Task<string> WriteAsync(NpgsqlConnection connection, IReadOnlyList<TableSchema> tables, SchemaSnapshot schema,
        string path, DatabaseEndpoint target, RunContext context)
    {
        var ct = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        if (File.Exists(path))
            throw new MigrationException(FailureKind.InvalidArgument, "ArchiveExists",
                $"The backup file '{Path.GetFullPath(path)}' already exists; nothing was changed. Choose another -BackupPath.", path);

        var archived = new List<TableContent>();
        string written;
        using (var writer = new ArchiveWriter(path))
        {
            var uses = await SequenceUse.ReadAsync(connection, tables.Select(t => t.QualifiedName), ct).ConfigureAwait(false);
            for (var i = 0; i < tables.Count; i++)
            {
                var table = tables[i];
                context.Report(new TransferProgress("Backup", $"Backing up {table.QualifiedName}", table.QualifiedName.ToString(), i, tables.Count, 0, clock.Elapsed));
                archived.Add(await WriteTableAsync(connection, writer, table, i + 1, uses, ct).ConfigureAwait(false));
            }
            var manifest = new ArchiveManifest
            {
                ToolVersion = typeof(CleanBackup).Assembly.GetName().Version?.ToString(3) ?? "",
                CreatedAt = DateTimeOffset.UtcNow,
                Source = target.DisplayName,
                SessionSettings = new(SessionSettings.ValueSettings),
                Schema = schema,
                Tables = archived,
            };
            writer.Complete(manifest);
            written = writer.Path;
        }

        // Read back what is on disk before anything is deleted: a backup nobody checked is not a backup.
        using (var check = ArchiveReader.Open(written))
        {
            if (check.Manifest.Tables.Count != archived.Count)
                throw new MigrationException(FailureKind.VerificationFailed, ErrorIds.BackupVerificationFailed,
                    $"The backup '{written}' lists {check.Manifest.Tables.Count} tables where {archived.Count} were written; nothing was changed.", written);
            await check.VerifyAsync(check.Manifest.Tables, context).ConfigureAwait(false);
        }
        context.Logger.LogInformation(Written, "Backed up {Tables} tables ({Rows} rows) of {Endpoint} to {Path}, read back and verified, before emptying them.",
            archived.Count, archived.Sum(t => t.Rows), target.DisplayName, written);
        return written;
    }

    private static async Task<TableContent> WriteTableAsync(NpgsqlConnection connection, ArchiveWriter writer, TableSchema table, int number,
        IReadOnlyList<SequenceUse> uses, CancellationToken ct)
    {
        var columns = table.CopiedColumns.Select(c => c.Name).ToList();
        var format = CopyFormat.For(table);
        var entryName = $"data/{number:D4}.{(format == CopyFormat.Binary ? "bin" : "copy")}";
        long rows, bytes;
        string sha;
        await using (var entry = writer.CreateEntry(entryName, format))
        {
            var copy = CopyFormat.CopyOutSql(table.QualifiedName, columns, format);
            if (format == CopyFormat.Binary)
            {
                await using var raw = await connection.BeginRawBinaryCopyAsync(copy, ct).ConfigureAwait(false);
                await CopyPump.BytesAsync(raw, entry, () => entry.Rows, (_, _) => { }, ct).ConfigureAwait(false);
            }
            else
            {
                using var reader = await connection.BeginTextExportAsync(copy, ct).ConfigureAwait(false);
                await CopyPump.TextToBytesAsync(reader, entry, (_, _) => { }, ct).ConfigureAwait(false);
            }
            await entry.FlushAsync(ct).ConfigureAwait(false);
            rows = entry.Rows;
            bytes = entry.Bytes;
            sha = entry.HashHex();
        }

        // Writers are locked out, so this reads the same rows the COPY did.
        var content = await ContentChecksum.ComputeAsync(connection, table.QualifiedName, columns, ct).ConfigureAwait(false);
        if (rows != content.Rows)
            throw new MigrationException(FailureKind.VerificationFailed, ErrorIds.BackupVerificationFailed,
                $"Backing up {table.QualifiedName}: COPY produced {rows} rows but count(*) says {content.Rows}; nothing was changed.", table.QualifiedName.ToString());

        var sequences = new List<SequenceState>();
        foreach (var use in uses.Where(u => u.Table == table.QualifiedName && columns.Contains(u.Column)))
        {
            var (last, called) = await SequenceUse.ReadPositionAsync(connection, use.Sequence, ct).ConfigureAwait(false);
            sequences.Add(new SequenceState { Column = use.Column, Sequence = use.Sequence, LastValue = last, IsCalled = called });
        }
        return new TableContent
        {
            Schema = table.Schema, Name = table.Name, Columns = columns, Rows = rows, ContentChecksum = content.Checksum,
            Entry = entryName, Sha256 = sha, Bytes = bytes, DataFormat = format, Sequences = sequences,
        };
    }
}
