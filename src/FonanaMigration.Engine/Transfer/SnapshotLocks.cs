using Npgsql;

using FonanaMigration.Engine.Selection;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// ACCESS SHARE locks on every table a snapshot will read, as pg_dump takes them. TRUNCATE and most DDL ignore MVCC: run
/// on a table not yet read, they would show it empty (or changed) to the snapshot. Holding the lock makes them wait until
/// the read is over. Both connections of a <see cref="SourceSnapshot"/> take them before either reads a row: a connection
/// without them would queue behind a waiting TRUNCATE, which waits for the other connection, which waits for it.
/// </summary>
internal static class SnapshotLocks
{
    /// <summary>How long to wait for one table's lock when nothing else is said: long enough for a short migration or a
    /// vacuum to finish, short enough that a forgotten open transaction is reported rather than waited on forever.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    // Ordinary tables in user schemas, without tables that belong to extensions: what an export could read (as TableCatalog).
    private const string CandidatesSql = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2
        """;

    /// <summary>
    /// Sets the lock timeout for the rest of the transaction, then locks every table the filter selects. Runs before the
    /// schema is read, because reading a table's definition waits for its lock as well.
    /// </summary>
    public static async Task<HashSet<QualifiedName>> TakeForFilterAsync(NpgsqlConnection connection, TableFilter filter, TimeSpan timeout, DatabaseEndpoint endpoint, RunContext context)
    {
        // SET LOCAL: the timeout ends with this transaction; 0 would mean wait forever, so at least 1 ms.
        await Sql.ExecuteAsync(connection, $"SET LOCAL lock_timeout = {Math.Max(1, (long)timeout.TotalMilliseconds)}", context).ConfigureAwait(false);
        var names = new List<QualifiedName>();
        await using (var cmd = new NpgsqlCommand(CandidatesSql, connection))
        await using (var reader = await cmd.ExecuteReaderAsync(context.CancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false))
                names.Add(new QualifiedName(reader.GetString(0), reader.GetString(1)));
        var selected = names.Where(n => filter.Includes(n)).ToList();
        await TakeAsync(connection, selected, timeout, endpoint, context).ConfigureAwait(false);
        return selected.ToHashSet();
    }

    /// <summary>Locks each table, one statement each so that a failure names the table that could not be locked.</summary>
    public static async Task TakeAsync(NpgsqlConnection connection, IEnumerable<QualifiedName> tables, TimeSpan timeout, DatabaseEndpoint endpoint, RunContext context)
    {
        foreach (var table in tables)
        {
            try
            {
                await Sql.ExecuteAsync(connection, $"LOCK TABLE ONLY {table.Sql} IN ACCESS SHARE MODE", context).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw Busy(table.ToString(), timeout, endpoint, ex);
            }
        }
    }

    /// <summary>A lock wait that ran out while reading the schema (a definition waits for its table's lock too).</summary>
    public static bool IsLockTimeout(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable };

    public static MigrationException Busy(string table, TimeSpan timeout, DatabaseEndpoint endpoint, Exception ex) =>
        new(FailureKind.ResourceBusy, ErrorIds.SourceTableLocked,
            $"{table} on {endpoint.DisplayName} could not be locked for reading within {timeout.TotalSeconds:0.###} s: another session holds " +
            "or waits for an exclusive lock on it (a migration, TRUNCATE, VACUUM FULL or an open transaction). Nothing was written; run again when it is done.",
            table, ex);

    /// <summary>
    /// A TRUNCATE (or a rewrite) that committed after the snapshot began but before its lock was granted already emptied
    /// the table for this snapshot. The snapshot's pg_class still shows the old file; the catalog cache, refreshed by the
    /// lock, the new one.
    /// </summary>
    public static async Task EnsureNotRewrittenAsync(NpgsqlConnection connection, IReadOnlyList<QualifiedName> tables, DatabaseEndpoint endpoint, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT t.name FROM unnest(@names) AS t(name) JOIN pg_class c ON c.oid = t.name::regclass
            WHERE c.relfilenode <> 0 AND c.relfilenode IS DISTINCT FROM pg_relation_filenode(c.oid)
            LIMIT 1
            """, connection);
        cmd.Parameters.AddWithValue("names", tables.Select(t => t.Sql).ToArray());
        if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is string rewritten)
            throw new MigrationException(FailureKind.ResourceBusy, ErrorIds.SourceTableRewritten,
                $"{rewritten} on {endpoint.DisplayName} was truncated or rewritten just as the snapshot began, so the snapshot would show it wrongly. Nothing was written; run again.",
                rewritten);
    }
}
