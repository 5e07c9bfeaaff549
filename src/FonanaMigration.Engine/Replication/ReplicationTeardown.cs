using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Removes one replication's subscription (target), slots and publication (source), and puts back the replica
/// identities it set. A forgotten slot keeps WAL on the source until its disk fills, so every slot the subscription
/// made is dropped, its table-sync slots included. Works from a new session: everything is found by name.
/// </summary>
internal static class ReplicationTeardown
{
    private static readonly EventId Removed = EngineEvents.ReplicationRemoved;
    private static readonly TimeSpan SlotReleaseWait = TimeSpan.FromSeconds(10);

    public static async Task<ReplicationRemoval> RemoveAsync(string name, NpgsqlConnection? source, NpgsqlConnection? target, bool clean, RunContext context,
        DatabaseEndpoint? sourceEndpoint = null, CancellationToken ct = default)
    {
        var removal = new ReplicationRemoval { Name = name };
        var marker = new ReplicationMarker();
        uint? subscriptionOid = null;

        if (target is not null)
        {
            var found = await ServerStatement.RowsAsync(target, """
                SELECT s.oid, obj_description(s.oid, 'pg_subscription') FROM pg_subscription s
                WHERE s.subname = @n AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, r => (Oid: r.GetFieldValue<uint>(0), Comment: r.IsDBNull(1) ? null : r.GetString(1)), ct, ("n", name)).ConfigureAwait(false);
            var copied = new List<string>();
            if (found.Count == 1)
            {
                subscriptionOid = found[0].Oid;
                marker = ReplicationMarker.Parse(found[0].Comment);
                copied = await ServerStatement.RowsAsync(target, "SELECT srrelid::regclass::text FROM pg_subscription_rel WHERE srsubid = @o ORDER BY 1",
                    r => r.GetString(0), ct, ("o", found[0].Oid)).ConfigureAwait(false);
                await DropSubscriptionAsync(target, name, detachSlot: source is not null, ct).ConfigureAwait(false);
                removal.SubscriptionDropped = true;
            }
            foreach (var change in marker.TargetIdentities)
                if (await RestoreIdentityAsync(target, change, ct).ConfigureAwait(false))
                    removal.ReplicaIdentitiesRestored.Add("target " + change.QualifiedName);
            if (clean && copied.Count > 0)
            {
                await ServerStatement.ExecuteAsync(target, "TRUNCATE " + string.Join(", ", copied), ct).ConfigureAwait(false);
                removal.TablesEmptied.AddRange(copied);
            }
        }

        if (source is not null)
        {
            var publication = await ServerStatement.RowsAsync(source, "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = @n",
                r => r.IsDBNull(0) ? null : r.GetString(0), ct, ("n", name)).ConfigureAwait(false);
            var published = publication.Count == 1 ? ReplicationMarker.Parse(publication[0]) : new ReplicationMarker();
            subscriptionOid ??= published.SubscriptionOid;

            await DropSlotsAsync(source, name, subscriptionOid, removal, context, ct).ConfigureAwait(false);

            // The publication and the identities go back in one transaction: either the source is as it was, or unchanged.
            await using (var tx = await source.BeginTransactionAsync(ct).ConfigureAwait(false))
            {
                if (publication.Count == 1)
                {
                    await ServerStatement.ExecuteAsync(source, "DROP PUBLICATION " + Identifier.Quote(name), ct).ConfigureAwait(false);
                    removal.PublicationDropped = true;
                }
                var identities = published.SourceIdentities.Count > 0 ? published.SourceIdentities : marker.SourceIdentities;
                foreach (var change in identities)
                    if (await RestoreIdentityAsync(source, change, ct).ConfigureAwait(false))
                        removal.ReplicaIdentitiesRestored.Add("source " + change.QualifiedName);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
        }

        context.Logger.LogInformation(Removed, "Removed replication {Name}: subscription {Subscription}, slot(s) {Slots}, publication {Publication}.",
            name, removal.SubscriptionDropped ? "dropped" : "none", removal.SlotsDropped.Count == 0 ? "none" : string.Join(", ", removal.SlotsDropped),
            removal.PublicationDropped ? "dropped" : "none");
        return removal;
    }

    /// <param name="detachSlot">
    /// True when this run also reaches the source and drops the slots there itself: the subscription is detached from its
    /// slot first, so dropping it never depends on the target server reaching the source.
    /// </param>
    private static async Task DropSubscriptionAsync(NpgsqlConnection target, string name, bool detachSlot, CancellationToken ct)
    {
        var quoted = Identifier.Quote(name);
        if (detachSlot)
        {
            await ServerStatement.ExecuteAsync(target, $"ALTER SUBSCRIPTION {quoted} DISABLE", ct).ConfigureAwait(false);
            await ServerStatement.ExecuteAsync(target, $"ALTER SUBSCRIPTION {quoted} SET (slot_name = NONE)", ct).ConfigureAwait(false);
        }
        await ServerStatement.ExecuteAsync(target, $"DROP SUBSCRIPTION {quoted}", ct).ConfigureAwait(false);
    }

    private static async Task DropSlotsAsync(NpgsqlConnection source, string name, uint? subscriptionOid, ReplicationRemoval removal, RunContext context, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + SlotReleaseWait;
        while (true)
        {
            var slots = await ServerStatement.RowsAsync(source, """
                SELECT slot_name::text, active_pid FROM pg_replication_slots
                WHERE database = current_database() AND (slot_name = @n OR slot_name LIKE @sync)
                """, r => (Name: r.GetString(0), Pid: r.IsDBNull(1) ? (int?)null : r.GetInt32(1)), ct,
                ("n", name), ("sync", subscriptionOid is { } oid ? ReplicationNames.SyncSlotLikePattern(oid) : "-")).ConfigureAwait(false);
            if (slots.Count == 0) return;
            foreach (var slot in slots.Where(s => s.Pid is null))
            {
                try
                {
                    await ServerStatement.ExecuteAsync(source, "SELECT pg_drop_replication_slot(@n)", ct, ("n", slot.Name)).ConfigureAwait(false);
                    removal.SlotsDropped.Add(slot.Name);
                }
                catch (PostgresException ex) when (ex.SqlState is "55006" or "42704")
                {
                    // Taken again or already gone between the query and the drop: the next round sees which.
                }
            }
            var active = slots.Where(s => s.Pid is not null).ToList();
            if (active.Count == 0) continue;
            if (DateTime.UtcNow > deadline)
            {
                // The target's WAL sender outlived its subscription (or the target is gone and the sender waits on a dead
                // connection): end it, or the slot cannot be dropped.
                foreach (var slot in active)
                    await ServerStatement.ExecuteAsync(source, "SELECT pg_terminate_backend(@p)", ct, ("p", slot.Pid!.Value)).ConfigureAwait(false);
            }
            await Task.Delay(200, ct).ConfigureAwait(false);
            if (DateTime.UtcNow > deadline + SlotReleaseWait)
                throw new MigrationException(FailureKind.ServerError, "ReplicationSlotBusy",
                    $"The replication slot(s) {string.Join(", ", active.Select(s => s.Name))} on the source are still in use after {2 * SlotReleaseWait.TotalSeconds:N0} s. " +
                    $"Drop them with SELECT pg_drop_replication_slot('<name>') once the process using them ends: a forgotten slot keeps WAL until the source's disk fills.",
                    active[0].Name);
        }
    }

    private static async Task<bool> RestoreIdentityAsync(NpgsqlConnection connection, ReplicaIdentityChange change, CancellationToken ct)
    {
        var exists = await ServerStatement.ScalarAsync<bool>(connection,
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relname = @t)",
            ct, ("s", change.Schema), ("t", change.Table)).ConfigureAwait(false);
        if (!exists) return false;
        await ServerStatement.ExecuteAsync(connection, change.RestoreSql, ct).ConfigureAwait(false);
        return true;
    }
}
