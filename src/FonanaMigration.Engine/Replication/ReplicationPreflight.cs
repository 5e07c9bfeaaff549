using Npgsql;


using FonanaMigration.Engine.Selection;
namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Every check Start-FonanaReplication makes before it creates anything, each failing with an error that names what to
/// change: the source can publish (wal_level, free slots and WAL senders, a role that may replicate and owns the
/// tables), every table has a replica identity, the target may subscribe, its schema is compatible and its tables empty.
/// </summary>
internal static class ReplicationPreflight
{
    public static async Task<ReplicationPlan> PlanAsync(ReplicationStartRequest request, NpgsqlConnection source, NpgsqlConnection target, RunContext context)
    {
        var ct = context.CancellationToken;
        var sourceSchema = await SchemaReader.ReadAsync(source, context).ConfigureAwait(false);
        var tables = TableSelection.Select(sourceSchema, request.Tables);
        if (tables.Count == 0)
            throw new MigrationException(FailureKind.InvalidArgument, "NoTablesSelected", "No table is selected: nothing to replicate.", request.Source);

        await CheckNothingRunningAsync(request, target, ct).ConfigureAwait(false);
        var syncWorkers = await CheckTargetMaySubscribeAsync(request.Target, target, ct).ConfigureAwait(false);
        await CheckSourceMayPublishAsync(request, source, Math.Min(tables.Count, syncWorkers), ct).ConfigureAwait(false);
        await CheckOwnershipAsync(request.Source, source, tables, ct).ConfigureAwait(false);

        var targetSchema = await SchemaReader.ReadAsync(target, context).ConfigureAwait(false);
        var selected = tables.Select(t => t.QualifiedName).ToHashSet();
        var blocking = SchemaComparer.Compare(sourceSchema, targetSchema, selected.Contains).Where(d => d.Severity == DifferenceSeverity.Blocking).ToList();
        if (blocking.Count > 0)
            throw new MigrationException(FailureKind.SchemaIncompatible, "SchemaIncompatible",
                $"The target {request.Target.DisplayName} is not compatible with {request.Source.DisplayName} ({blocking.Count} blocking difference(s)): " +
                string.Join("; ", blocking.Take(5).Select(d => $"{d.Kind} {d.Object}")) + (blocking.Count > 5 ? "; …" : "") +
                ". Run Test-FonanaSchema for the full list. Nothing was created.", request.Target) { Details = blocking };

        var sourceIdentities = await PlanReplicaIdentitiesAsync(request, source, tables, ct).ConfigureAwait(false);
        // The target finds the rows an UPDATE or DELETE names by its own replica identity index or primary key; with
        // neither, only a FULL identity from the source works. So an index identity is set on both sides.
        var targetIdentities = new List<ReplicaIdentityChange>();
        foreach (var change in sourceIdentities.Where(c => c.Index is not null))
        {
            var current = await ServerStatement.ScalarAsync<string>(target,
                "SELECT c.relreplident::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relname = @t",
                ct, ("s", change.Schema), ("t", change.Table)).ConfigureAwait(false);
            if (current is "d" or "n") targetIdentities.Add(change with { Previous = current });
        }

        var occupied = new List<QualifiedName>();
        foreach (var t in tables)
            if (await ServerStatement.ScalarAsync<bool>(target, $"SELECT EXISTS (SELECT 1 FROM ONLY {t.QualifiedName.Sql})", ct).ConfigureAwait(false))
                occupied.Add(t.QualifiedName);
        if (occupied.Count > 0 && !request.Clean)
            throw new MigrationException(FailureKind.TargetNotEmpty, "TargetNotEmpty",
                $"The target already holds rows in {string.Join(", ", occupied)}. Nothing was created. Use -Clean to empty them when the subscription is created.",
                request.Target);

        return new ReplicationPlan
        {
            Name = ReplicationNames.New(),
            Tables = tables,
            Published = PublishedRelations(sourceSchema, tables),
            Marker = new ReplicationMarker { SourceIdentities = sourceIdentities, TargetIdentities = targetIdentities },
            Occupied = occupied,
        };
    }

    /// <summary>A partitioned table whose partitions all move is published through its root, so the target may partition it differently.</summary>
    internal static IReadOnlyList<QualifiedName> PublishedRelations(SchemaSnapshot schema, IReadOnlyList<TableSchema> tables)
    {
        QualifiedName Root(TableSchema t)
        {
            var current = t;
            while (current.PartitionOf is { } parent && schema.FindTable(parent) is { } p) current = p;
            return current.QualifiedName;
        }
        var selected = tables.Select(t => t.QualifiedName).ToHashSet();
        var leavesByRoot = schema.Tables.Where(t => t.Kind == "r").GroupBy(Root).ToDictionary(g => g.Key, g => g.Select(t => t.QualifiedName).ToList());
        var published = new SortedSet<QualifiedName>(Comparer<QualifiedName>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));
        foreach (var t in tables)
        {
            var root = Root(t);
            published.Add(root != t.QualifiedName && leavesByRoot[root].All(selected.Contains) ? root : t.QualifiedName);
        }
        return published.ToList();
    }

    private static async Task CheckNothingRunningAsync(ReplicationStartRequest request, NpgsqlConnection target, CancellationToken ct)
    {
        var existing = await ServerStatement.RowsAsync(target, "SELECT subname FROM pg_subscription WHERE subname LIKE @p AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
            r => r.GetString(0), ct, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false);
        if (existing.Count > 0)
            throw new MigrationException(FailureKind.InvalidArgument, "ReplicationAlreadyRunning",
                $"The target {request.Target.DisplayName} already has an online migration running ({string.Join(", ", existing)}). " +
                "Complete it with Complete-FonanaReplication or remove it with Stop-FonanaReplication first. Nothing was created.", existing[0]);
    }

    /// <returns>The target's max_sync_workers_per_subscription: how many table copies run at once, each with a slot on the source.</returns>
    private static async Task<int> CheckTargetMaySubscribeAsync(DatabaseEndpoint endpoint, NpgsqlConnection target, CancellationToken ct)
    {
        var version = int.Parse((await ServerStatement.ScalarAsync<string>(target, "SELECT current_setting('server_version_num')", ct).ConfigureAwait(false))!,
            System.Globalization.CultureInfo.InvariantCulture);
        var may = version >= 160000
            ? await ServerStatement.ScalarAsync<bool>(target,
                "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR (pg_has_role(current_user, 'pg_create_subscription', 'USAGE') AND has_database_privilege(current_database(), 'CREATE'))", ct).ConfigureAwait(false)
            : await ServerStatement.ScalarAsync<bool>(target, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", ct).ConfigureAwait(false);
        if (!may)
            throw new MigrationException(FailureKind.PermissionDenied, "TargetCannotSubscribe",
                $"The role '{endpoint.Username}' on the target {endpoint.DisplayName} may not create a subscription: " +
                (version >= 160000
                    ? "grant it pg_create_subscription and CREATE on the database (GRANT pg_create_subscription TO …), or connect -Target as a superuser."
                    : "on PostgreSQL 15 and older only a superuser may. Connect -Target as a superuser (for example with -TargetCredential postgres).") +
                " Nothing was created.", endpoint);

        var (slots, subscriptions, workers, syncWorkers) = (await ServerStatement.RowsAsync(target, """
            SELECT current_setting('max_replication_slots')::int, (SELECT count(*) FROM pg_subscription)::int,
                   current_setting('max_logical_replication_workers')::int, current_setting('max_sync_workers_per_subscription')::int
            """, r => (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)), ct).ConfigureAwait(false))[0];
        if (slots <= subscriptions || workers < 1)
            throw new MigrationException(FailureKind.InvalidArgument, "TargetReplicationCapacity",
                $"The target {endpoint.DisplayName} cannot run another subscription (max_replication_slots = {slots} with {subscriptions} subscription(s), " +
                $"max_logical_replication_workers = {workers}). Raise them in postgresql.conf (a restart is needed). Nothing was created.", endpoint);
        return Math.Max(1, syncWorkers);
    }

    private static async Task CheckSourceMayPublishAsync(ReplicationStartRequest request, NpgsqlConnection source, int syncWorkers, CancellationToken ct)
    {
        var endpoint = request.Source;
        var facts = (await ServerStatement.RowsAsync(source, """
            SELECT current_setting('wal_level'), current_setting('max_replication_slots')::int, (SELECT count(*) FROM pg_replication_slots)::int,
                   current_setting('max_wal_senders')::int, (SELECT count(*) FROM pg_stat_replication)::int,
                   has_database_privilege(current_database(), 'CREATE')
            """, r => (WalLevel: r.GetString(0), Slots: r.GetInt32(1), UsedSlots: r.GetInt32(2), Senders: r.GetInt32(3), UsedSenders: r.GetInt32(4), MayCreate: r.GetBoolean(5)), ct).ConfigureAwait(false))[0];
        if (facts.WalLevel != "logical")
            throw new MigrationException(FailureKind.InvalidArgument, "SourceWalLevelNotLogical",
                $"The source {endpoint.DisplayName} has wal_level = {facts.WalLevel}; logical replication needs wal_level = logical. " +
                "Set it (ALTER SYSTEM SET wal_level = logical, or in postgresql.conf) and restart the source server; that restart is a short outage of its own. " +
                "Or use Copy-FonanaDatabase. Nothing was created.", endpoint);

        // One slot and one WAL sender for the subscription, and one of each per table copied at the same time.
        var needed = 1 + syncWorkers;
        if (facts.Slots - facts.UsedSlots < needed || facts.Senders - facts.UsedSenders < needed)
            throw new MigrationException(FailureKind.InvalidArgument, "SourceReplicationCapacity",
                $"The source {endpoint.DisplayName} needs {needed} free replication slot(s) and WAL sender(s) (one for the subscription, {syncWorkers} for the table copies running at once) " +
                $"but has {facts.Slots - facts.UsedSlots} of max_replication_slots = {facts.Slots} and {facts.Senders - facts.UsedSenders} of max_wal_senders = {facts.Senders} free. " +
                "Raise them in postgresql.conf (a restart is needed), or lower max_sync_workers_per_subscription on the target. Nothing was created.", endpoint);
        if (!facts.MayCreate)
            throw new MigrationException(FailureKind.PermissionDenied, "SourceCannotPublish",
                $"The role '{endpoint.Username}' may not create a publication in the source database {endpoint.DisplayName}: it needs CREATE on the database. Nothing was created.", endpoint);

        // The role the target server logs in with must be allowed to replicate.
        var replicator = (request.SourceFromTarget ?? request.Source).Username ?? endpoint.Username;
        var mayReplicate = await ServerStatement.ScalarAsync<bool?>(source,
            "SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = CASE WHEN @r = '' THEN current_user ELSE @r END", ct, ("r", replicator ?? "")).ConfigureAwait(false);
        if (mayReplicate != true)
            throw new MigrationException(FailureKind.PermissionDenied, "SourceRoleCannotReplicate",
                $"The role '{replicator}' that the target server logs in to the source with may not replicate: give it REPLICATION (ALTER ROLE … REPLICATION) " +
                "or use a role made for this move with REPLICATION and SELECT on the tables. Nothing was created.", endpoint);
    }

    private static async Task CheckOwnershipAsync(DatabaseEndpoint endpoint, NpgsqlConnection source, IReadOnlyList<TableSchema> tables, CancellationToken ct)
    {
        var notOwned = await ServerStatement.RowsAsync(source, """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(@s::text[], @t::text[]) AS w(s, t) ON w.s = n.nspname AND w.t = c.relname
            WHERE NOT pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY 1
            """, r => r.GetString(0), ct, ("s", tables.Select(t => t.Schema).ToArray()), ("t", tables.Select(t => t.Name).ToArray())).ConfigureAwait(false);
        if (notOwned.Count > 0)
            throw new MigrationException(FailureKind.PermissionDenied, "SourceTablesNotOwned",
                $"The role '{endpoint.Username}' does not own {string.Join(", ", notOwned.Take(5))}{(notOwned.Count > 5 ? ", …" : "")} on the source: " +
                "a publication can list only tables its creator owns. Connect -Source as the tables' owner or a superuser. Nothing was created.", notOwned[0]);
    }

    private static async Task<List<ReplicaIdentityChange>> PlanReplicaIdentitiesAsync(ReplicationStartRequest request, NpgsqlConnection source,
        IReadOnlyList<TableSchema> tables, CancellationToken ct)
    {
        // Tables whose UPDATE/DELETE would fail once published: identity NOTHING, or DEFAULT without a primary key.
        var missing = await ServerStatement.RowsAsync(source, """
            SELECT n.nspname, c.relname, c.relreplident::text,
                   (SELECT ci.relname FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
                    WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
                      AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k WHERE NOT a.attnotnull)
                    ORDER BY i.indnatts, ci.relname LIMIT 1)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(@s::text[], @t::text[]) AS w(s, t) ON w.s = n.nspname AND w.t = c.relname
            WHERE c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
            ORDER BY 1, 2
            """, r => (Schema: r.GetString(0), Table: r.GetString(1), Previous: r.GetString(2), Index: r.IsDBNull(3) ? null : r.GetString(3)), ct,
            ("s", tables.Select(t => t.Schema).ToArray()), ("t", tables.Select(t => t.Name).ToArray())).ConfigureAwait(false);
        if (missing.Count == 0) return new List<ReplicaIdentityChange>();

        var names = string.Join(", ", missing.Select(m => new QualifiedName(m.Schema, m.Table).ToString()));
        switch (request.ReplicaIdentity)
        {
            case ReplicaIdentityFallback.None:
                throw new MigrationException(FailureKind.InvalidArgument, "TableWithoutReplicaIdentity",
                    $"{names} {(missing.Count == 1 ? "has" : "have")} no primary key (no replica identity). Published as they are, the source's own UPDATE and DELETE " +
                    "on them would fail and the running application would break. Add a primary key, leave them out (-ExcludeTable), or let the migration set one " +
                    "until it ends: -ReplicaIdentity UniqueIndex (a unique index over NOT NULL columns) or -ReplicaIdentity Full. Nothing was created.",
                    missing.Select(m => new QualifiedName(m.Schema, m.Table).ToString()).ToArray());
            case ReplicaIdentityFallback.UniqueIndex:
                var noIndex = missing.Where(m => m.Index is null).Select(m => new QualifiedName(m.Schema, m.Table).ToString()).ToList();
                if (noIndex.Count > 0)
                    throw new MigrationException(FailureKind.InvalidArgument, "NoUniqueIndexForReplicaIdentity",
                        $"{string.Join(", ", noIndex)} {(noIndex.Count == 1 ? "has" : "have")} no unique, non-partial index over NOT NULL columns to identify rows by. " +
                        "Use -ReplicaIdentity Full, or leave them out (-ExcludeTable). Nothing was created.", noIndex.ToArray());
                return missing.Select(m => new ReplicaIdentityChange(m.Schema, m.Table, m.Previous, m.Index)).ToList();
            default:
                return missing.Select(m => new ReplicaIdentityChange(m.Schema, m.Table, m.Previous, null)).ToList();
        }
    }
}
