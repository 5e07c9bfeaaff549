using Microsoft.Extensions.Logging;
using Npgsql;


using FonanaMigration.Engine.Archive;
namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// COPY … FREEZE writes rows already frozen and marks their pages all-visible, so nothing (ANALYZE, the first reads,
/// autovacuum) rewrites every page later to set hint bits or freeze. PostgreSQL allows it only into a table created
/// or truncated in the same transaction: when every loaded table is empty under the load's lock, plain, without
/// row-level security (which could hide rows from the emptiness check, never from TRUNCATE), and the role may TRUNCATE
/// it (and no table outside the load references it, which would make TRUNCATE fail), the load truncates them, losing
/// nothing, and copies with FREEZE. Otherwise it loads as before.
/// </summary>
internal static class FrozenLoad
{
    private static readonly EventId Truncated = EngineEvents.FrozenLoad;

    /// <param name="alreadyTruncated">The tables were truncated in this transaction already (-Clean).</param>
    /// <returns>Whether every COPY of this load may use FREEZE.</returns>
    public static async Task<bool> PrepareAsync(NpgsqlConnection connection, IReadOnlyList<TableContent> tables, bool alreadyTruncated, RunContext context)
    {
        var ct = context.CancellationToken;
        if (tables.Count == 0) return false;
        var names = tables.Select(t => t.QualifiedName.Sql).ToArray();
        await using (var cmd = new NpgsqlCommand("""
            WITH loaded AS (SELECT unnest(@names)::regclass AS oid)
            SELECT bool_and(c.relkind = 'r' AND NOT c.relrowsecurity AND has_table_privilege(c.oid, 'TRUNCATE'))
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                                   WHERE f.contype = 'f' AND f.confrelid IN (SELECT oid FROM loaded) AND f.conrelid NOT IN (SELECT oid FROM loaded))
            FROM pg_class c WHERE c.oid IN (SELECT oid FROM loaded)
            """, connection))
        {
            cmd.Parameters.AddWithValue("names", names);
            if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true) return false;
        }
        if (alreadyTruncated) return true;
        // Checked again under the load's lock: a row committed since the first check must make the load fail
        // verification (nothing lost), never be truncated away.
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM ONLY {table.QualifiedName.Sql})", connection);
            if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true) return false;
        }
        await Sql.ExecuteAsync(connection, $"TRUNCATE TABLE {string.Join(", ", tables.Select(t => "ONLY " + t.QualifiedName.Sql))}", context).ConfigureAwait(false);
        context.Logger.LogDebug(Truncated, "Truncated the {Tables} empty tables inside the transaction, so their rows load frozen (COPY FREEZE).", tables.Count);
        return true;
    }

    public static string WithFreeze(string copyIn, bool freeze) =>
        !freeze ? copyIn
        : copyIn.EndsWith(" (FORMAT binary)", StringComparison.Ordinal) ? copyIn[..^1] + ", FREEZE)"
        : copyIn + " (FREEZE)";
}
