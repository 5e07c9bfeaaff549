using Npgsql;


namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Fires the deferred trigger events the load queued on the tables about to be rebuilt: PostgreSQL refuses to ALTER a
/// table (or index it) that has pending trigger events (55006), and a DEFERRABLE INITIALLY DEFERRED constraint trigger
/// queues one per loaded row. Only those tables' deferrable constraints are made IMMEDIATE; deferred events on other
/// tables still fire at COMMIT, as their definitions say. A trigger that refuses a row now fails the load before
/// COMMIT, which rolls back as any refusal does.
/// </summary>
internal static class PendingTriggerEvents
{
    public static async Task FireAsync(NpgsqlConnection connection, IEnumerable<QualifiedName> tables, RunContext context)
    {
        var names = tables.Select(t => t.Sql).Distinct().ToArray();
        if (names.Length == 0) return;
        var constraints = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.conname) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.condeferrable AND c.conrelid = ANY(SELECT unnest(@names)::regclass) ORDER BY 1
            """, connection))
        {
            cmd.Parameters.AddWithValue("names", names);
            await using var reader = await cmd.ExecuteReaderAsync(context.CancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false)) constraints.Add(reader.GetString(0));
        }
        if (constraints.Count == 0) return;
        await Sql.ExecuteAsync(connection, $"SET CONSTRAINTS {string.Join(", ", constraints.Distinct())} IMMEDIATE", context).ConfigureAwait(false);
    }
}
