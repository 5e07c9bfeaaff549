using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FonanaMigration.Engine;

/// <summary>
/// Import: proves the archive intact and the target's schema compatible, then loads every table in ONE transaction in
/// an order the foreign keys accept, resets sequences, and compares each table's row count and content checksum with
/// the archive before COMMIT. Any failure or cancellation rolls back: the target is either fully migrated or untouched.
/// </summary>
public static class DatabaseImporter
{
    private static readonly EventId Loaded = new(400, "TableLoaded");
    private static readonly EventId Statement = new(401, "Statement");
    private static readonly EventId Committed = new(402, "Committed");

    public static async Task<ImportResult> ImportAsync(ImportRequest request, RunContext context)
    {
        var ct = context.CancellationToken;
        var clock = Stopwatch.StartNew();
        using var archive = ArchiveReader.Open(request.Path);
        var tables = archive.Manifest.Tables.Where(t => request.Tables.Includes(t.QualifiedName)).ToList();

        context.Report(new TransferProgress("Import", "Checking the archive", null, 0, 0, 0, clock.Elapsed));
        await archive.VerifyAsync(tables, context).ConfigureAwait(false);

        await using var connection = await ServerConnector.OpenAsync(request.Target, context, "import").ConfigureAwait(false);
        try
        {
            var targetSchema = await SchemaReader.ReadAsync(connection, context).ConfigureAwait(false);
            var selected = tables.Select(t => t.QualifiedName).ToHashSet();
            var blocking = SchemaComparer.Compare(archive.Manifest.Schema, targetSchema, selected.Contains)
                .Where(d => d.Severity == DifferenceSeverity.Blocking).ToList();
            if (blocking.Count > 0)
                throw new MigrationException(FailureKind.SchemaIncompatible, "SchemaIncompatible",
                    $"The target {request.Target.DisplayName} is not compatible with the archive ({blocking.Count} blocking difference(s)): " +
                    string.Join("; ", blocking.Take(5).Select(d => $"{d.Kind} {d.Object}")) + (blocking.Count > 5 ? "; …" : "") +
                    ". Run Test-FonanaSchema for the full list.", request.Target) { Details = blocking };

            var occupied = await FindOccupiedTablesAsync(connection, tables, ct).ConfigureAwait(false);
            if (occupied.Count > 0 && !request.Clean)
                throw new MigrationException(FailureKind.TargetNotEmpty, "TargetNotEmpty",
                    $"The target already holds rows in {string.Join(", ", occupied)}. Nothing was changed. Use -Clean (with -BackupPath) to replace them.",
                    request.Target);

            string? backup = null;
            if (request.Clean && request.BackupPath is not null)
            {
                // The backup is taken before the import transaction opens, and only the tables about to be emptied matter.
                var names = tables.Select(t => $"{t.Schema}.{t.Name}").ToList();
                var info = await DatabaseExporter.ExportAsync(new ExportRequest { Source = request.Target, Path = request.BackupPath, Tables = new TableFilter(names) }, context).ConfigureAwait(false);
                backup = info.Path;
            }

            var targetTables = tables.Select(t => targetSchema.FindTable(t.QualifiedName)!).ToList();
            var graph = ForeignKeyGraph.Build(targetTables);
            var byName = tables.ToDictionary(t => t.QualifiedName);
            var results = new List<TableImport>();
            long totalRows = tables.Sum(t => t.Rows), doneRows = 0;

            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            // Writers are kept out for the whole load; readers may still read the (old, empty) tables until COMMIT.
            if (tables.Count > 0)
                await ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", tables.Select(t => "ONLY " + t.QualifiedName.Sql))} IN EXCLUSIVE MODE", context).ConfigureAwait(false);
            if (request.Clean && occupied.Count > 0)
                await ExecuteAsync(connection, $"TRUNCATE TABLE {string.Join(", ", tables.Select(t => "ONLY " + t.QualifiedName.Sql))}", context).ConfigureAwait(false);

            foreach (var (child, fk) in graph.CycleBreakers)
                await ExecuteAsync(connection, $"ALTER TABLE ONLY {child.Sql} DROP CONSTRAINT {Identifier.Quote(fk.Name)}", context).ConfigureAwait(false);

            foreach (var name in graph.LoadOrder)
            {
                var table = byName[name];
                var started = clock.Elapsed;
                var rows = await LoadTableAsync(connection, archive, table, doneRows, totalRows, clock, context).ConfigureAwait(false);
                doneRows += rows;
                context.Logger.LogInformation(Loaded, "Loaded {Table}: {Rows} rows in {Elapsed}.", table.Table, rows, clock.Elapsed - started);
                results.Add(new TableImport { Table = table.Table, Rows = rows, Elapsed = clock.Elapsed - started });
            }

            // Re-adding a foreign key validates it once, with one join, inside the transaction.
            foreach (var (child, fk) in graph.CycleBreakers)
                await ExecuteAsync(connection, $"ALTER TABLE ONLY {child.Sql} ADD CONSTRAINT {Identifier.Quote(fk.Name)} {fk.Definition}", context).ConfigureAwait(false);

            foreach (var table in tables)
                await SequenceReset.ApplyAsync(connection, targetSchema.FindTable(table.QualifiedName)!, table, context).ConfigureAwait(false);

            context.Report(new TransferProgress("Import", "Verifying counts and checksums before COMMIT", null, doneRows, totalRows, 0, clock.Elapsed));
            var verified = await VerifyBeforeCommitAsync(connection, tables, context).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            context.Logger.LogInformation(Committed, "Committed {Rows} rows in {Tables} tables on {Endpoint}.", doneRows, tables.Count, request.Target.DisplayName);

            // Fresh planner statistics, so the application is not slow on its first queries (outside the transaction).
            foreach (var table in tables)
                await ExecuteAsync(connection, $"ANALYZE {table.QualifiedName.Sql}", context).ConfigureAwait(false);
            context.Report(new TransferProgress("Import", "Done", null, doneRows, totalRows, 0, clock.Elapsed, Completed: true));

            return new ImportResult
            {
                Path = archive.Path,
                Target = request.Target,
                Tables = results.Select(r => new TableImport { Table = r.Table, Rows = r.Rows, Elapsed = r.Elapsed, Verified = verified.Contains(r.Table) }).ToList(),
                Verified = verified.Count == tables.Count,
                Cleaned = request.Clean && occupied.Count > 0,
                BackupPath = backup,
                Elapsed = clock.Elapsed,
            };
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Target, ct);
        }
    }

    private static async Task<List<string>> FindOccupiedTablesAsync(NpgsqlConnection connection, IReadOnlyList<ArchivedTable> tables, CancellationToken ct)
    {
        var occupied = new List<string>();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM ONLY {table.QualifiedName.Sql})", connection);
            if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
                occupied.Add(table.Table);
        }
        return occupied;
    }

    private static async Task<long> LoadTableAsync(NpgsqlConnection connection, ArchiveReader archive, ArchivedTable table,
        long doneBefore, long totalRows, Stopwatch clock, RunContext context)
    {
        var ct = context.CancellationToken;
        var copy = $"COPY {table.QualifiedName.Sql} ({DatabaseExporter.ColumnList(table.Columns)}) FROM STDIN";
        context.Logger.LogDebug(Statement, "{Sql}", copy);
        await using var source = archive.OpenTable(table);
        var writer = await connection.BeginTextImportAsync(copy, ct).ConfigureAwait(false);
        try
        {
            await TextCopy.PumpAsync(source, writer, rows => context.Report(new TransferProgress("Import",
                $"Loading {table.Table}", table.Table, doneBefore + rows, totalRows, source.Bytes, clock.Elapsed)), ct).ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false); // completes the COPY: the server reports bad rows here
        }
        catch (PostgresException pg)
        {
            throw new MigrationException(FailureKind.InvalidData, "TargetRejectedRow",
                $"The target rejected the data of {table.Table}: {pg.MessageText}{(pg.Detail is null ? "" : " (" + pg.Detail + ")")}{(pg.Where is null ? "" : " [" + pg.Where + "]")}. Nothing was committed.",
                table.Table, pg);
        }
        catch
        {
            // Abandon the COPY so the transaction can roll back cleanly (cancellation, a broken archive stream, …).
            try { ((NpgsqlCopyTextWriter)writer).Cancel(); } catch (Exception) { }
            throw;
        }
        return source.Lines;
    }

    private static async Task<HashSet<string>> VerifyBeforeCommitAsync(NpgsqlConnection connection, IReadOnlyList<ArchivedTable> tables, RunContext context)
    {
        var verified = new HashSet<string>();
        var differing = new List<string>();
        foreach (var table in tables)
        {
            var actual = await ContentChecksum.ComputeAsync(connection, table.QualifiedName, table.Columns, context.CancellationToken).ConfigureAwait(false);
            if (actual.Rows == table.Rows && actual.Checksum == table.ContentChecksum) verified.Add(table.Table);
            else differing.Add($"{table.Table} (rows {actual.Rows}/{table.Rows}{(actual.Rows == table.Rows ? ", content differs" : "")})");
        }
        if (differing.Count > 0)
            throw new MigrationException(FailureKind.VerificationFailed, "ImportVerificationFailed",
                $"After loading, the target does not hold what the archive holds: {string.Join(", ", differing)}. Everything was rolled back.", differing[0]);
        return verified;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, RunContext context)
    {
        context.Logger.LogDebug(Statement, "{Sql}", sql);
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
