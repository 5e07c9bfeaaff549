using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Everything on the target that would stop the load part-way and can be known before the first row: privileges the
/// role lacks (INSERT, TRUNCATE under -Clean, EXECUTE on a trigger's function, owning a materialized view to refresh)
/// and row-level security that refuses COPY FROM. Every problem is collected and reported at once, before anything is
/// written. A table whose FORCE ROW LEVEL SECURITY the role may lift (it owns the table) is not a problem: its name
/// is returned, and the load lifts FORCE inside its transaction and restores it before COMMIT.
/// Triggers of the tables the role owns behave as for replicated rows (session_replication_role = replica, which would
/// need superuser): ordinary triggers are disabled inside the transaction and enabled again before COMMIT, since the
/// rows arrive as the source's own triggers already made them (as pg_restore creates triggers after the data); a
/// trigger marked ENABLE ALWAYS still fires. On tables the role does not own, triggers fire (the checksums before
/// COMMIT catch one that changes rows); one whose function the role may not execute is refused up front.
/// </summary>
internal sealed class TargetLoadPreflight
{
    private static readonly EventId Lifted = EngineEvents.RowSecurityLifted;

    private readonly List<(QualifiedName Table, string Trigger)> _disabledTriggers;

    private TargetLoadPreflight(List<QualifiedName> forceLifted, List<(QualifiedName, string)> disabledTriggers)
    {
        ForceLifted = forceLifted;
        _disabledTriggers = disabledTriggers;
    }

    /// <summary>Tables with FORCE ROW LEVEL SECURITY that the role owns: lifted for the load, restored before COMMIT.</summary>
    public IReadOnlyList<QualifiedName> ForceLifted { get; }

    // One row per loaded table: what the role may do with it and what row-level security would do to COPY FROM.
    // COPY FROM refuses any table where row-level security applies to the role: enabled, and the role neither
    // superuser nor BYPASSRLS, and either not the owner or the owner under FORCE.
    private const string TableSql = """
        SELECT n.nspname, c.relname,
               has_table_privilege(c.oid, 'INSERT'),
               has_table_privilege(c.oid, 'TRUNCATE'),
               pg_has_role(c.relowner, 'USAGE'),
               c.relrowsecurity AND NOT (r.rolsuper OR r.rolbypassrls),
               c.relforcerowsecurity,
               pg_get_userbyid(c.relowner)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, pg_roles r
        WHERE r.rolname = current_user AND c.oid = ANY(SELECT unnest(@names)::regclass)
        """;

    // User triggers that will fire during the load and whose function the role may not execute.
    private const string TriggerSql = """
        SELECT n.nspname, c.relname, t.tgname, t.tgfoid::regprocedure::text
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND c.oid = ANY(SELECT unnest(@names)::regclass)
          AND (t.tgenabled = 'A' OR (t.tgenabled = 'O' AND NOT pg_has_role(c.relowner, 'USAGE')))
          AND NOT has_function_privilege(t.tgfoid, 'EXECUTE')
        """;

    // Ordinary (origin-mode) user triggers on the loaded tables the role owns: disabled for the load.
    private const string OwnedTriggerSql = """
        SELECT n.nspname, c.relname, t.tgname
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND t.tgenabled = 'O' AND c.oid = ANY(SELECT unnest(@names)::regclass)
          AND pg_has_role(c.relowner, 'USAGE')
        ORDER BY 1, 2, 3
        """;

    /// <param name="truncates">The load empties the tables first (-Clean on a target holding rows).</param>
    /// <param name="refreshed">Materialized views the load will refresh (the role must own them).</param>
    public static async Task<TargetLoadPreflight> CheckAsync(NpgsqlConnection connection, IReadOnlyList<QualifiedName> tables,
        bool truncates, IReadOnlyList<QualifiedName> refreshed, DatabaseEndpoint target, RunContext context)
    {
        var ct = context.CancellationToken;
        var problems = new List<string>();
        var rowSecurity = new List<string>();
        var lifted = new List<QualifiedName>();
        var names = tables.Select(t => t.Sql).ToArray();

        await using (var cmd = new NpgsqlCommand(TableSql, connection))
        {
            cmd.Parameters.AddWithValue("names", names);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = new QualifiedName(reader.GetString(0), reader.GetString(1));
                bool insert = reader.GetBoolean(2), truncate = reader.GetBoolean(3), owns = reader.GetBoolean(4);
                bool securityApplies = reader.GetBoolean(5), forced = reader.GetBoolean(6);
                var owner = reader.GetString(7);
                if (!insert)
                    problems.Add($"{name}: no INSERT privilege (GRANT INSERT ON {name.Sql} TO the role, or connect as its owner {owner})");
                if (truncates && !truncate)
                    problems.Add($"{name}: -Clean needs the TRUNCATE privilege (GRANT TRUNCATE ON {name.Sql} TO the role, or connect as its owner {owner})");
                if (securityApplies && owns && forced)
                    lifted.Add(name);
                else if (securityApplies && !owns)
                    rowSecurity.Add($"{name}: row-level security is enabled and refuses COPY FROM for a role that is not its owner ({owner}); connect as the owner, or as a role with BYPASSRLS or superuser");
            }
        }

        await using (var cmd = new NpgsqlCommand(TriggerSql, connection))
        {
            cmd.Parameters.AddWithValue("names", names);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                problems.Add($"{new QualifiedName(reader.GetString(0), reader.GetString(1))}: trigger {reader.GetString(2)} calls {reader.GetString(3)}, which the role may not EXECUTE (GRANT EXECUTE ON FUNCTION to the role)");
        }

        var triggers = new List<(QualifiedName, string)>();
        await using (var cmd = new NpgsqlCommand(OwnedTriggerSql, connection))
        {
            cmd.Parameters.AddWithValue("names", names);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                triggers.Add((new QualifiedName(reader.GetString(0), reader.GetString(1)), reader.GetString(2)));
        }

        if (refreshed.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.oid = ANY(SELECT unnest(@names)::regclass) AND NOT pg_has_role(c.relowner, 'USAGE')
                """, connection);
            cmd.Parameters.AddWithValue("names", refreshed.Select(m => m.Sql).ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                problems.Add($"{new QualifiedName(reader.GetString(0), reader.GetString(1))}: this materialized view depends on loaded tables and must be refreshed, which only its owner ({reader.GetString(2)}) may do");
        }

        if (problems.Count + rowSecurity.Count > 0)
        {
            // Row-level security alone has its own id, so a runbook can tell it from a missing grant.
            var all = rowSecurity.Concat(problems).ToList();
            var (id, what) = problems.Count == 0 ? (ErrorIds.RowSecurityBlocksLoad, "Row-level security would refuse the load")
                                                 : (ErrorIds.TargetPermissionDenied, "The connecting role may not load the target");
            throw new MigrationException(FailureKind.PermissionDenied, id,
                $"{what} on {target.DisplayName} ({all.Count} problem(s)). Nothing was written. {string.Join("; ", all)}.",
                all[0][..all[0].IndexOf(':')]) { Details = all };
        }

        if (lifted.Count > 0)
            context.Logger.LogInformation(Lifted, "FORCE ROW LEVEL SECURITY is lifted inside the transaction for {Tables} (the role owns them) and restored before COMMIT.",
                string.Join(", ", lifted));
        return new TargetLoadPreflight(lifted, triggers);
    }

    public async Task LiftAsync(NpgsqlConnection connection, RunContext context)
    {
        foreach (var table in ForceLifted)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE {table.Sql} NO FORCE ROW LEVEL SECURITY", context).ConfigureAwait(false);
        foreach (var (table, trigger) in _disabledTriggers)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE {table.Sql} DISABLE TRIGGER {Identifier.Quote(trigger)}", context).ConfigureAwait(false);
    }

    public async Task RestoreAsync(NpgsqlConnection connection, RunContext context)
    {
        foreach (var table in ForceLifted)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE {table.Sql} FORCE ROW LEVEL SECURITY", context).ConfigureAwait(false);
        foreach (var (table, trigger) in _disabledTriggers)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE {table.Sql} ENABLE TRIGGER {Identifier.Quote(trigger)}", context).ConfigureAwait(false);
    }
}
