using FonanaMigration.Engine.Archive;
using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Verification;

/// <summary>
/// Counts rows (and optionally content checksums) on a live target and compares them with an archive, a live source or
/// explicit numbers. Each live side is read in one REPEATABLE READ snapshot, so the numbers belong to one moment.
/// </summary>
public static class RowCountVerifier
{
    public static async Task<IReadOnlyList<RowCountComparison>> VerifyAsync(RowCountRequest request, RunContext context)
    {
        try
        {
            return await VerifyCoreAsync(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, request.Target, context.CancellationToken);
        }
    }

    private static async Task<IReadOnlyList<RowCountComparison>> VerifyCoreAsync(RowCountRequest request, RunContext context)
    {
        if (request.Source is null && request.ArchivePath is null && request.Expected.Count == 0)
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.NothingToCompare,
                "Say what to expect: an archive (-Path), a source server (-Source) or explicit counts (-Expected).", request.Target);

        var expected = new Dictionary<string, ExpectedTable>(StringComparer.Ordinal);
        var queryExpected = new Dictionary<string, long>(StringComparer.Ordinal);
        // A view's checksum from an archive stays row-text-v1 (how exports measure views); a live source's uses the run's algorithm.
        var views = new Dictionary<string, (MaterializedViewSchema View, ChecksumAlgorithm Algorithm)>(StringComparer.Ordinal);

        if (request.ArchivePath is not null)
        {
            using var archive = ArchiveReader.Open(request.ArchivePath);
            var algorithm = ChecksumAlgorithm.ForArchive(archive.Manifest.ChecksumAlgorithm, archive.Path);
            foreach (var t in archive.Manifest.Tables.Where(t => request.Tables.Includes(t.QualifiedName)))
                expected[t.Table] = new ExpectedTable(t.QualifiedName, t.Rows, t.ContentChecksum, t.Columns) { Algorithm = algorithm };
            foreach (var v in MaterializedViewComparison.Selected(archive.Manifest.Schema, request.Tables).Where(v => v.Rows is not null))
                views[v.QualifiedName.ToString()] = (v, ChecksumAlgorithm.RowText);
        }

        // Both live sides open first: a live source and target compare with the cheapest checksum both servers compute.
        await using var source = request.Source is null ? null
            : await ReadOnlySnapshot.OpenAsync(request.Source, context, "verify source", applicationSearchPath: true).ConfigureAwait(false);
        await using var target = await ReadOnlySnapshot.OpenAsync(request.Target, context, "verify target", applicationSearchPath: true).ConfigureAwait(false);
        var targetSchema = await SchemaReader.ReadAsync(target.Connection, context).ConfigureAwait(false);
        if (request.Checksum)
            foreach (var algorithm in expected.Values.Select(e => e.Algorithm).Distinct())
                algorithm.EnsureRunsOn(targetSchema.Server.VersionNumber, targetSchema.Server.Version, request.Target, request.ArchivePath ?? "The expected side");

        if (source is not null)
        {
            var schema = await SchemaReader.ReadAsync(source.Connection, context).ConfigureAwait(false);
            var algorithm = ChecksumAlgorithm.CommonTo(schema.Server.VersionNumber, targetSchema.Server.VersionNumber);
            foreach (var t in TableSelection.Select(schema, request.Tables))
            {
                var columns = t.CopiedColumns.Select(c => c.Name).ToList();
                var measured = request.Checksum
                    ? await ContentChecksum.ComputeAsync(source.Connection, t.QualifiedName, columns, algorithm, context.CancellationToken).ConfigureAwait(false)
                    : new ContentChecksum(await ContentChecksum.CountAsync(source.Connection, t.QualifiedName, context.CancellationToken).ConfigureAwait(false), "");
                expected[t.QualifiedName.ToString()] = new ExpectedTable(t.QualifiedName, measured.Rows, request.Checksum ? measured.Checksum : null, columns) { Algorithm = algorithm };
            }
            await MaterializedViewMeasure.MeasureSourceAsync(source.Connection, schema, TableSelection.Select(schema, request.Tables), context.CancellationToken, algorithm).ConfigureAwait(false);
            foreach (var v in MaterializedViewComparison.Selected(schema, request.Tables).Where(v => v.Rows is not null))
                views[v.QualifiedName.ToString()] = (v, algorithm);
            foreach (var (name, sql) in request.Queries)
                queryExpected[name] = await RunQueryAsync(source.Connection, name, sql, request.Source!, context).ConfigureAwait(false);
        }

        foreach (var (name, count) in request.Expected)
        {
            if (request.Queries.ContainsKey(name)) { queryExpected[name] = count; continue; }
            var table = ResolveTable(targetSchema, name);
            var key = table.ToString();
            expected[key] = expected.TryGetValue(key, out var known) ? known with { Rows = count } : new ExpectedTable(table, count, null, null);
        }

        var results = new List<RowCountComparison>();
        var tables = expected.Values.OrderBy(e => e.Table.ToString(), StringComparer.Ordinal).ToList();
        var progress = new StepProgress(context, request.Checksum ? "Comparing row counts and checksums" : "Comparing row counts", tables.Count, tables.Sum(t => t.Rows));
        foreach (var item in tables)
        {
            progress.Starting(item.Table.ToString(), item.Table.ToString());
            results.Add(await CompareTableAsync(target.Connection, targetSchema, item, request.Checksum, context).ConfigureAwait(false));
            progress.Finished(item.Rows);
        }
        progress.Complete();
        foreach (var (view, algorithm) in views.Values.OrderBy(v => v.View.QualifiedName.ToString(), StringComparer.Ordinal))
            results.Add(await MaterializedViewComparison.CompareAsync(target.Connection, view, request.Checksum, context, algorithm).ConfigureAwait(false));

        foreach (var (name, sql) in request.Queries)
        {
            var actual = await RunQueryAsync(target.Connection, name, sql, request.Target, context).ConfigureAwait(false);
            results.Add(new RowCountComparison
            {
                Name = name, Kind = "Query", Actual = actual, Expected = queryExpected.TryGetValue(name, out var e) ? e : null,
                Note = queryExpected.ContainsKey(name) ? null : "No expected value: give -Source or -Expected @{ " + name + " = N }.",
            });
        }
        return results;
    }

    private sealed record ExpectedTable(QualifiedName Table, long Rows, string? Checksum, IReadOnlyList<string>? Columns)
    {
        public ChecksumAlgorithm Algorithm { get; init; } = ChecksumAlgorithm.RowText;
    }

    private static async Task<RowCountComparison> CompareTableAsync(NpgsqlConnection connection, SchemaSnapshot schema, ExpectedTable item, bool checksum, RunContext context)
    {
        var ct = context.CancellationToken;
        var table = schema.FindTable(item.Table);
        if (table is null)
            return new RowCountComparison { Name = item.Table.ToString(), Expected = item.Rows, Note = "The target has no such table." };

        if (!checksum || item.Checksum is null || item.Columns is null)
        {
            var rows = await ContentChecksum.CountAsync(connection, item.Table, ct).ConfigureAwait(false);
            context.Logger.LogInformation(EngineEvents.Counted, "{Table}: expected {Expected}, found {Actual}.", item.Table.ToString(), item.Rows, rows);
            return new RowCountComparison
            {
                Name = item.Table.ToString(), Expected = item.Rows, Actual = rows,
                Note = checksum && item.Checksum is null ? "No checksum on the expected side for this table." : null,
            };
        }

        var missing = item.Columns.Where(c => table.FindColumn(c) is null).ToList();
        if (missing.Count > 0)
        {
            var rows = await ContentChecksum.CountAsync(connection, item.Table, ct).ConfigureAwait(false);
            return new RowCountComparison
            {
                Name = item.Table.ToString(), Expected = item.Rows, Actual = rows, ExpectedChecksum = item.Checksum, ActualChecksum = "(columns missing)",
                Note = $"The target lacks column(s) {string.Join(", ", missing)}.",
            };
        }

        var measured = await ContentChecksum.ComputeAsync(connection, item.Table, item.Columns, item.Algorithm, ct).ConfigureAwait(false);
        context.Logger.LogInformation(EngineEvents.Counted, "{Table}: expected {Expected}, found {Actual}; checksum {Match}.",
            item.Table.ToString(), item.Rows, measured.Rows, measured.Checksum == item.Checksum ? "equal" : "DIFFERENT");
        return new RowCountComparison
        {
            Name = item.Table.ToString(), Expected = item.Rows, Actual = measured.Rows, ExpectedChecksum = item.Checksum, ActualChecksum = measured.Checksum,
            ChecksumAlgorithm = measured.Algorithm.Name,
            Note = measured.Rows == item.Rows && measured.Checksum != item.Checksum ? "Same number of rows, different content." : null,
        };
    }

    private static QualifiedName ResolveTable(SchemaSnapshot schema, string name)
    {
        var dot = name.IndexOf('.');
        var matches = schema.Tables.Where(t => dot < 0 ? t.Name == name : $"{t.Schema}.{t.Name}" == name).ToList();
        return matches.Count switch
        {
            1 => matches[0].QualifiedName,
            0 => dot < 0 ? new QualifiedName("public", name) : new QualifiedName(name[..dot], name[(dot + 1)..]),
            _ => throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.TableNameAmbiguous,
                $"'{name}' names a table in several schemas ({string.Join(", ", matches.Select(m => m.QualifiedName))}); qualify it.", name),
        };
    }

    private static async Task<long> RunQueryAsync(NpgsqlConnection connection, string name, string sql, DatabaseEndpoint endpoint, RunContext context)
    {
        // Queries are the user's own SQL: run inside the read-only snapshot, so a query cannot change data.
        await using var cmd = new NpgsqlCommand(sql, connection);
        try
        {
            var value = await cmd.ExecuteScalarAsync(context.CancellationToken).ConfigureAwait(false);
            return value switch
            {
                long l => l,
                int i => i,
                short s => s,
                decimal d when d == Math.Floor(d) => (long)d,
                _ => throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.QueryNotACount,
                    $"The query '{name}' must return one whole number; it returned {(value is null or DBNull ? "nothing" : value.GetType().Name)}.", name),
            };
        }
        catch (PostgresException pg)
        {
            throw new MigrationException(FailureKind.InvalidArgument, ErrorIds.QueryFailed,
                $"The query '{name}' failed on {endpoint.DisplayName}: {pg.MessageText}", name, pg);
        }
    }
}
