using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Stop-FonanaReplication: removes one replication (by name) or every one this module made on the servers given, from
/// any session. With only the target, the subscription drops its own slot on the source (the target server must reach it).
/// </summary>
public static class ReplicationStopper
{
    public static async Task<IReadOnlyList<ReplicationRemoval>> StopAsync(ReplicationStopRequest request, RunContext context)
    {
        if (request.Source is null && request.Target is null)
            throw new MigrationException(FailureKind.InvalidArgument, "NothingToStop", "Give -Target, -Source, or both.", null);
        var ct = context.CancellationToken;
        var endpoint = request.Target ?? request.Source!;
        try
        {
            await using var target = request.Target is null ? null : await ServerConnector.OpenAsync(request.Target, context, "stop replication").ConfigureAwait(false);
            endpoint = request.Source ?? endpoint;
            await using var source = request.Source is null ? null : await ServerConnector.OpenAsync(request.Source, context, "stop replication").ConfigureAwait(false);
            endpoint = request.Target ?? endpoint;

            var names = new SortedSet<string>(StringComparer.Ordinal);
            if (target is not null)
                foreach (var n in await ServerStatement.RowsAsync(target,
                             "SELECT subname::text FROM pg_subscription WHERE subname LIKE @p AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                             r => r.GetString(0), ct, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false))
                    names.Add(n);
            if (source is not null)
                foreach (var n in await ServerStatement.RowsAsync(source, """
                             SELECT pubname::text FROM pg_publication WHERE pubname LIKE @p
                             UNION SELECT slot_name::text FROM pg_replication_slots WHERE slot_name LIKE @p AND database = current_database()
                             """, r => r.GetString(0), ct, ("p", ReplicationNames.LikePattern)).ConfigureAwait(false))
                    names.Add(n);
            if (request.Name is not null)
            {
                if (!names.Contains(request.Name))
                    throw new MigrationException(FailureKind.ObjectNotFound, "ReplicationNotFound",
                        $"No online migration named {request.Name} on the server(s) given. Get-FonanaReplication lists them.", request.Name);
                names = new SortedSet<string>(new[] { request.Name }, StringComparer.Ordinal);
            }

            var removed = new List<ReplicationRemoval>();
            foreach (var name in names)
            {
                // Once begun, removal is not cancelled halfway: a subscription gone but its slot left is the costly outcome.
                removed.Add(await ReplicationTeardown.RemoveAsync(name, source, target, request.Clean, context, ct: CancellationToken.None).ConfigureAwait(false));
            }
            return removed;
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, ct);
        }
    }
}
