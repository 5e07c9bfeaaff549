using FonanaMigration.Testing;
using Npgsql;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// The connection lost during COMMIT: the target's backend is killed while a deferred constraint trigger holds the
/// COMMIT (it waits for an advisory lock the test holds). Constraints stay in place during the load: re-adding a
/// dropped key on a table with pending deferred trigger events is refused by the server (55006). The error must say what the server did, or that nobody knows.
/// </summary>
[Collection(ServerCollection.Name)]
public class CommitInDoubtTests
{
    private const int LockKey = 741_852;
    private readonly ServerFixture _servers;

    public CommitInDoubtTests(ServerFixture servers) => _servers = servers;

    private (string Name, DatabaseEndpoint Endpoint) TargetThatWaitsAtCommit()
    {
        var (name, endpoint) = _servers.Empty(_servers.Prod);
        // The deferred trigger sits on a table outside the load (fed by a trigger on a loaded one): a loaded table's own
        // deferred events fire before its keys are rebuilt, while these still wait for COMMIT.
        _servers.Prod.ExecuteSql(name, $"""
            CREATE TABLE commit_gate (n int);
            CREATE FUNCTION pass_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.commit_gate VALUES (1); RETURN NULL; END $$;
            CREATE TRIGGER pass_gate AFTER INSERT ON likes FOR EACH STATEMENT EXECUTE FUNCTION pass_gate();
            ALTER TABLE likes ENABLE ALWAYS TRIGGER pass_gate; -- the load disables ordinary triggers on tables the role owns
            CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock({LockKey}); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON commit_gate DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_at_commit();
            """, asRole: FonanaDatabase.DefaultRole);
        return (name, endpoint);
    }

    /// <summary>Takes the advisory lock the target's COMMIT then waits for, on a session the caller keeps (closing it opens the gate).</summary>
    private static async Task<NpgsqlConnection> CloseCommitGateAsync(DatabaseEndpoint target)
    {
        var holder = new NpgsqlConnection(target.ConnectionString("test lock holder", 15));
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", holder)) await take.ExecuteScalarAsync();
        return holder;
    }

    /// <summary>Holds the advisory lock, runs the copy, and once its COMMIT waits for the lock, runs <paramref name="atCommit"/> and kills the backend.</summary>
    private async Task<MigrationException> KillDuringCommitAsync(string targetName, DatabaseEndpoint source, DatabaseEndpoint target, Action atCommit)
    {
        await using var holder = await CloseCommitGateAsync(target);

        var copy = Task.Run(() => DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, new RunContext()));
        var pid = await WaitUntilCommitWaitsAsync(targetName, copy);

        atCommit();
        _servers.Prod.QueryScalar("postgres", $"SELECT pg_terminate_backend({pid})");
        return await Assert.ThrowsAsync<MigrationException>(() => copy);
    }

    /// <summary>Waits for the load to reach its COMMIT (no time limit of its own: the load failing early ends the wait too); returns its backend's pid.</summary>
    private async Task<string> WaitUntilCommitWaitsAsync(string targetName, Task<TargetLoadResult> load)
    {
        var waiting = $"""
            SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
            WHERE a.datname = '{targetName}' AND a.application_name LIKE 'FonanaMigration%' AND l.locktype = 'advisory' AND NOT l.granted
            """;
        string pid;
        while ((pid = _servers.Prod.QueryScalar("postgres", waiting)).Length == 0 && !load.IsCompleted)
            await Task.Delay(50);
        if (load.IsCompleted) await load; // shows why it ended before its COMMIT
        return pid;
    }

    [Fact]
    public async Task CancelWhileCommitIsInFlight_LeavesTheConnectionAlone_AndReportsTheCommitTheServerMade()
    {
        var (sourceName, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = TargetThatWaitsAtCommit();
        var archive = Path.Combine(Path.GetTempPath(), $"fonana-commit-{Guid.NewGuid():N}.fnz");
        try
        {
            await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = archive }, new RunContext());
            await using var holder = await CloseCommitGateAsync(target);

            using var cancel = new CancellationTokenSource();
            using var host = new RecordingHost(cancel.Token);
            var import = Task.Run(() => DatabaseImporter.ImportAsync(new ImportRequest { Target = target, Path = archive }, host.Context));
            await WaitUntilCommitWaitsAsync(targetName, import);

            // Ctrl+C while COMMIT is on the server, and the COMMIT still going after the breaker's grace: a connection
            // broken then would turn a commit that goes through into one nobody saw.
            cancel.Cancel();
            await Task.Delay(CancelledConnectionBreaker.Grace + TimeSpan.FromSeconds(3));
            await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", holder)) await release.ExecuteScalarAsync();

            var result = await import;
            Assert.True(result.Verified);
            Assert.Equal(_servers.Local.QueryScalar(sourceName, "SELECT count(*) FROM users"), _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
            var messages = host.Drain();
            Assert.DoesNotContain(messages, m => m.EventName is nameof(EngineEvents.ConnectionBrokenAfterCancel) or nameof(EngineEvents.CommitInDoubt));
        }
        finally { File.Delete(archive); }
    }

    [Fact]
    public async Task ConnectionKilledDuringCommit_IsAskedAboutOnANewConnection_AndReportedAsRolledBack()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = TargetThatWaitsAtCommit();

        var ex = await KillDuringCommitAsync(targetName, source, target, () => { });

        Assert.Equal("ConnectionFailed", ex.ErrorId);
        Assert.Contains("during COMMIT", ex.Message);
        Assert.Contains("rolled back", ex.Message);
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task ConnectionKilledDuringCommit_WhenTheServerCannotBeAsked_IsCommitOutcomeUnknown()
    {
        var (_, source) = _servers.Seeded(_servers.Local);
        var (targetName, target) = TargetThatWaitsAtCommit();
        try
        {
            // The database stops taking connections just before the kill: nobody can ask what became of the transaction.
            var ex = await KillDuringCommitAsync(targetName, source, target,
                () => _servers.Prod.ExecuteSql("postgres", $"ALTER DATABASE \"{targetName}\" ALLOW_CONNECTIONS false"));

            Assert.Equal("CommitOutcomeUnknown", ex.ErrorId);
            Assert.Equal(FailureKind.ConnectionFailed, ex.Kind);
            Assert.Contains("Assert-FonanaCounts", ex.Message);
            Assert.Contains("txid_status", ex.Message);
        }
        finally
        {
            _servers.Prod.ExecuteSql("postgres", $"ALTER DATABASE \"{targetName}\" ALLOW_CONNECTIONS true");
        }
        Assert.Equal("0", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM users"));
    }
}
