using Microsoft.Extensions.Logging;
using Npgsql;


namespace FonanaMigration.Engine.Replication;

/// <summary>
/// Start-FonanaReplication: after <see cref="ReplicationPreflight"/>, creates the publication (source), the slot
/// (source) and the subscription (target, with the initial copy on). The target server then copies every table straight
/// from the source and streams every later change; this machine only orchestrates. Any failure removes whatever was
/// created, so a failed start leaves no slot behind and the target as it was.
/// </summary>
public static class ReplicationStarter
{
    private static readonly EventId Created = EngineEvents.ReplicationCreated;

    public static async Task<ReplicationStatus> StartAsync(ReplicationStartRequest request, RunContext context)
    {
        var ct = context.CancellationToken;
        NpgsqlConnection? source = null, target = null;
        var endpoint = request.Source;
        try
        {
            source = await ServerConnector.OpenAsync(request.Source, context, "replication source").ConfigureAwait(false);
            endpoint = request.Target;
            target = await ServerConnector.OpenAsync(request.Target, context, "replication target").ConfigureAwait(false);
            endpoint = request.Source;
            var plan = await ReplicationPreflight.PlanAsync(request, source, target, context).ConfigureAwait(false);


            await CreatePublicationAsync(source, plan, ct).ConfigureAwait(false);
            try
            {
                await ServerStatement.ExecuteAsync(source, "SELECT pg_create_logical_replication_slot(@n, 'pgoutput')", ct, ("n", plan.Name)).ConfigureAwait(false);
                endpoint = request.Target;
                var oid = await CreateSubscriptionAsync(request, plan, context).ConfigureAwait(false);
                endpoint = request.Source;
                plan.Marker.SubscriptionOid = oid;
                await ServerStatement.ExecuteAsync(source, $"COMMENT ON PUBLICATION {Identifier.Quote(plan.Name)} IS {Literal.Quote(plan.Marker.ToComment())}", ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Whatever went wrong (the target cannot reach the source, Ctrl+C, …), remove what was made before reporting it.
                // Not cancellable: a half-removed replication is the one outcome that must not happen.
                context.Logger.LogWarning(Created, "Starting {Name} failed; removing what was created: {Error}", plan.Name, ex.Message);
                await ReplicationTeardown.RemoveAsync(plan.Name, source, target, clean: false, context, ct: CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            context.Logger.LogInformation(Created, "Started {Name}: {Tables} table(s) published from {Source}; the target {Target} copies them now.",
                plan.Name, plan.Tables.Count, request.Source.DisplayName, request.Target.DisplayName);
            try
            {
                var status = await ReplicationMonitor.ReadAsync(new ReplicationStatusRequest { Target = request.Target, Source = request.Source, Name = plan.Name }, target, source, context).ConfigureAwait(false);
                return status.Single();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The replication runs: a status that could not be read must not turn that success into an error.
                context.Logger.LogWarning(Created, "Started {Name}, but its status could not be read: {Error}", plan.Name, ex.Message);
                return new ReplicationStatus { Name = plan.Name, Target = request.Target.DisplayName, Source = request.Source.DisplayName, State = "Copying", Enabled = true };
            }
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            throw ServerConnector.Translate(ex, endpoint, ct);
        }
        finally
        {
            if (target is not null) await target.DisposeAsync().ConfigureAwait(false);
            if (source is not null) await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task CreatePublicationAsync(NpgsqlConnection source, ReplicationPlan plan, CancellationToken ct)
    {
        // One transaction: the publication exists with its identities set, or nothing changed on the source.
        await using var tx = await source.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var change in plan.Marker.SourceIdentities)
            await ServerStatement.ExecuteAsync(source, change.ApplySql, ct).ConfigureAwait(false);
        await ServerStatement.ExecuteAsync(source,
            $"CREATE PUBLICATION {Identifier.Quote(plan.Name)} FOR TABLE {string.Join(", ", plan.Published.Select(t => t.Sql))} WITH (publish_via_partition_root = true)", ct).ConfigureAwait(false);
        await ServerStatement.ExecuteAsync(source, $"COMMENT ON PUBLICATION {Identifier.Quote(plan.Name)} IS {Literal.Quote(plan.Marker.ToComment())}", ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// On the target, in one transaction: empty the tables (-Clean), set the replica identities, create the subscription
    /// on the slot made beforehand (so CREATE SUBSCRIPTION may run inside a transaction). A failure leaves the target as it was.
    /// </summary>
    private static async Task<uint> CreateSubscriptionAsync(ReplicationStartRequest request, ReplicationPlan plan, RunContext context)
    {
        var ct = context.CancellationToken;
        // This session runs a statement that carries the source's password, so the driver's statement log is kept off it.
        var quiet = RunContext.Silent(ct, context.ConnectTimeoutSeconds);
        await using var target = await ServerConnector.OpenAsync(request.Target, quiet, "replication subscription").ConfigureAwait(false);
        await using var tx = await target.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (request.Clean)
            await ServerStatement.ExecuteAsync(target, "TRUNCATE " + string.Join(", ", plan.Tables.Select(t => "ONLY " + t.QualifiedName.Sql)), ct).ConfigureAwait(false);
        foreach (var change in plan.Marker.TargetIdentities)
            await ServerStatement.ExecuteAsync(target, change.ApplySql, ct).ConfigureAwait(false);
        // The server itself would write the statement, password included, to its log when it fails
        // (log_min_error_statement), is slow (log_min_duration_statement) or is DDL under log_statement. Only a superuser
        // may turn those off for the transaction; on PostgreSQL 16+ a non-superuser subscriber cannot, and the help says so.
        if (await ServerStatement.ScalarAsync<bool>(target, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", ct).ConfigureAwait(false))
            await ServerStatement.ExecuteAsync(target,
                "SET LOCAL log_statement = 'none'; SET LOCAL log_min_error_statement = 'panic'; SET LOCAL log_min_duration_statement = -1", ct).ConfigureAwait(false);
        var name = Identifier.Quote(plan.Name);
        var conninfo = SubscriberConnectionInfo.For(request.SourceFromTarget ?? request.Source);
        try
        {
            await ServerStatement.ExecuteAsync(target,
                $"CREATE SUBSCRIPTION {name} CONNECTION {Literal.Quote(conninfo)} PUBLICATION {name} " +
                $"WITH (create_slot = false, slot_name = {Literal.Quote(plan.Name)}, copy_data = true, enabled = true)", ct).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            // Npgsql keeps the failed statement (with the password in it) on the exception: pass on the server's words only.
            throw ex.SqlState.StartsWith("08", StringComparison.Ordinal)
                ? new MigrationException(FailureKind.ConnectionFailed, "SourceUnreachableFromTarget",
                    $"The target server could not connect to the source to subscribe: {ex.MessageText} The target server itself must reach the source " +
                    "(give -SourceFromTarget as the target server sees it; a machine behind NAT cannot be subscribed to: use Copy-FonanaDatabase). Nothing was left behind.",
                    request.Target)
                : new MigrationException(ex.SqlState == "42501" ? FailureKind.PermissionDenied : FailureKind.ServerError, ex.SqlState == "42501" ? "TargetCannotSubscribe" : "SubscriptionFailed",
                    $"The target {request.Target.DisplayName} refused to create the subscription: {ex.SqlState} {ex.MessageText} Nothing was left behind.", request.Target);
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            // Ctrl+C or a broken connection: Npgsql wraps the server's answer, statement included; keep none of it.
            if (ex is OperationCanceledException || ct.IsCancellationRequested)
                throw new OperationCanceledException("Cancelled while the target created the subscription.", ct);
            throw new MigrationException(FailureKind.ConnectionFailed, "ConnectionFailed",
                $"The connection to the target {request.Target.DisplayName} failed while it created the subscription. Nothing was left behind.", request.Target);
        }
        await ServerStatement.ExecuteAsync(target, $"COMMENT ON SUBSCRIPTION {name} IS {Literal.Quote(plan.Marker.ToComment())}", ct).ConfigureAwait(false);
        var oid = await ServerStatement.ScalarAsync<uint>(target, "SELECT oid FROM pg_subscription WHERE subname = @n", ct, ("n", plan.Name)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        context.Logger.LogInformation(Created, "Created the subscription {Name} on {Target}.", plan.Name, request.Target.DisplayName);
        return oid;
    }
}
