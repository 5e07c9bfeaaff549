using Npgsql;

namespace FonanaMigration.Engine;

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

    public static async Task TakeAsync(NpgsqlConnection connection, IEnumerable<QualifiedName> tables, TimeSpan timeout, DatabaseEndpoint endpoint, RunContext context)
    {
        var ct = context.CancellationToken;
        // SET LOCAL: the timeout ends with this transaction; 0 would mean wait forever, so at least 1 ms.
        await Sql.ExecuteAsync(connection, $"SET LOCAL lock_timeout = {Math.Max(1, (long)timeout.TotalMilliseconds)}", context).ConfigureAwait(false);
        foreach (var table in tables)
        {
            // One table per statement, so a failure names the table that could not be locked.
            try
            {
                await Sql.ExecuteAsync(connection, $"LOCK TABLE ONLY {table.Sql} IN ACCESS SHARE MODE", context).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new MigrationException(FailureKind.ResourceBusy, "SourceTableLocked",
                    $"{table} on {endpoint.DisplayName} could not be locked for reading within {timeout.TotalSeconds:0.###} s: another session holds " +
                    "or waits for an exclusive lock on it (a migration, TRUNCATE, VACUUM FULL or an open transaction). Nothing was written; run again when it is done.",
                    table.ToString(), ex);
            }
        }
        await Sql.ExecuteAsync(connection, "SET LOCAL lock_timeout = 0", context).ConfigureAwait(false);
    }

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
            throw new MigrationException(FailureKind.ResourceBusy, "SourceTableRewritten",
                $"{rewritten} on {endpoint.DisplayName} was truncated or rewritten just as the snapshot began, so the snapshot would show it wrongly. Nothing was written; run again.",
                rewritten);
    }
}
