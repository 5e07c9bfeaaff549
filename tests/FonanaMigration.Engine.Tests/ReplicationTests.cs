using FonanaMigration.Testing;
using Npgsql;

namespace FonanaMigration.Engine.Tests;

/// <summary>Online migration on logical replication, against two real servers with wal_level = logical.</summary>
[Collection(ReplicationServerCollection.Name)]
public class ReplicationTests
{
    private readonly ReplicationServerFixture _servers;

    public ReplicationTests(ReplicationServerFixture servers) => _servers = servers;

    // Not a timing assertion: only a bound so that a broken replication fails the test instead of hanging CI.
    private static CancellationToken HangGuard() => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    private void AddBulkPosts(string database, int count) =>
        _servers.Source.ExecuteSql(database, $"""
            INSERT INTO posts (id, "creatorId", title, content, "createdAt", "updatedAt")
            SELECT 'bulk' || i, (SELECT id FROM users WHERE "isCreator" ORDER BY id LIMIT 1), 'bulk ' || i, repeat('x', 500), now(), now()
            FROM generate_series(1, {count}) i;
            """, asRole: FonanaDatabase.DefaultRole);

    /// <summary>Nothing named fonana_mig_ (nor a table-sync slot) left on either server for these databases.</summary>
    private void AssertNothingLeft(string sourceDb, string targetDb, PostgresServer? sourceServer = null)
    {
        var sourceSide = sourceServer ?? _servers.Source;
        Assert.Equal("0", sourceSide.QueryScalar(sourceDb, @"SELECT count(*) FROM pg_publication WHERE pubname LIKE 'fonana\_mig\_%'"));
        Assert.Equal("", sourceSide.QueryScalar(sourceDb, "SELECT string_agg(slot_name, ', ') FROM pg_replication_slots WHERE database = current_database()"));
        Assert.Equal("0", _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static ReplicationStartRequest StartRequest(DatabaseEndpoint source, DatabaseEndpoint target, ReplicaIdentityFallback identity = ReplicaIdentityFallback.UniqueIndex) =>
        new() { Source = source, Target = target, ReplicaIdentity = identity };

    private static async Task WaitReadyAsync(DatabaseEndpoint source, DatabaseEndpoint target, RunContext context) =>
        await ReplicationMonitor.WaitUntilReadyAsync(new ReplicationStatusRequest { Target = target, Source = source }, context, TimeSpan.FromMilliseconds(200));

    private static async Task StartReadyAsync(DatabaseEndpoint source, DatabaseEndpoint target, RunContext context)
    {
        await ReplicationStarter.StartAsync(StartRequest(source, target), context);
        await WaitReadyAsync(source, target, context);
    }

    private static Task<ReplicationCompletion> CompleteAsync(DatabaseEndpoint source, DatabaseEndpoint target, RunContext context) =>
        ReplicationCutover.CompleteAsync(new ReplicationCompleteRequest { Source = source, Target = target }, context);

    /// <summary>Runs <paramref name="body"/> against a running replication, then stops it whatever happened and proves nothing is left.</summary>
    private async Task StopAfterAsync(string sourceDb, DatabaseEndpoint source, string targetDb, DatabaseEndpoint target, Func<Task> body)
    {
        try
        {
            await body();
        }
        finally
        {
            using var cleanup = new RecordingHost();
            await ReplicationStopper.StopAsync(new ReplicationStopRequest { Source = source, Target = target }, cleanup.Context);
        }
        AssertNothingLeft(sourceDb, targetDb);
    }

    [Fact]
    public async Task WriterDuringCopyAndCatchUp_CutOverAfterItStops_EveryTableMatches_SequencesPastMax_NothingLeft()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        AddBulkPosts(sourceDb, 20000);
        using var host = new RecordingHost(HangGuard());

        await using var writer = SourceWriter.Start(source);
        await writer.WaitForRoundsAsync(3);
        var started = await ReplicationStarter.StartAsync(StartRequest(source, target), host.Context);
        Assert.StartsWith(ReplicationNames.Prefix, started.Name);
        var roundsAtStart = writer.Rounds;

        await WaitReadyAsync(source, target, host.Context);
        // Writes went on during the copy, and go on after it (the catch-up streams them).
        await writer.WaitForRoundsAsync(writer.Rounds + 20);
        await writer.StopAsync();
        Assert.True(writer.Rounds > roundsAtStart + 20);

        var done = await CompleteAsync(source, target, host.Context);

        Assert.True(done.Verified);
        Assert.Equal(13, done.TableResults.Count);
        Assert.All(done.TableResults, r => Assert.True(r.Match, r.Name));
        Assert.True(done.ForeignKeysChecked > 0);
        Assert.True(done.SequencesSet >= 1);
        Assert.True(done.Downtime > TimeSpan.Zero);
        // An independent check, as a runbook would run it.
        var check = await RowCountVerifier.VerifyAsync(new RowCountRequest { Target = target, Source = source, Checksum = true }, host.Context);
        Assert.All(check, r => Assert.True(r.Match, r.Name));
        Assert.Equal("t", _servers.Target.QueryScalar(targetDb, "SELECT last_value >= (SELECT max(seq) FROM notifications) FROM notifications_seq_seq"));
        // The application's next insert on the target takes the next number without colliding.
        _servers.Target.ExecuteSql(targetDb, """
            INSERT INTO notifications (id, "userId", type, title, message, "updatedAt") SELECT 'after-cutover', "userId", type, 't', 'm', now() FROM notifications LIMIT 1;
            """);
        AssertNothingLeft(sourceDb, targetDb);
        // The replica identity set for the tables without a primary key is back as it was, on both sides.
        Assert.Equal("d", _servers.Source.QueryScalar(sourceDb, "SELECT relreplident FROM pg_class WHERE relname = 'verification_tokens'"));
        Assert.Equal("d", _servers.Target.QueryScalar(targetDb, "SELECT relreplident FROM pg_class WHERE relname = 'verification_tokens'"));
        Assert.DoesNotContain(host.Drain(), m => m.Text.Contains(FonanaDatabase.DefaultPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LastWriteCommittedAsynchronously_JustBeforeTheCutOver_ArrivesBeforeTheCompare_AndVerifies()
    {
        // The injected fault: a WAL writer that flushes asynchronous commits only every 10 s (as on a busy server). Such a
        // commit is visible on the source at once, but no walsender may send it before it is flushed: pg_current_wal_lsn()
        // (the write position) then lies before it, and the target "confirms" that position without having the write.
        using var slowWal = ReplicationServerFixture.StartSource("repl-slowwal", ("wal_writer_delay", "10s"));
        var sourceDb = FonanaDatabase.CreateSeeded(slowWal, "slowwal_source");
        var source = ServerFixture.Endpoint(slowWal, sourceDb);
        var (targetDb, target) = _servers.EmptyTarget();
        using var host = new RecordingHost(HangGuard());
        await StartReadyAsync(source, target, host.Context);

        slowWal.ExecuteSql(sourceDb, "SET synchronous_commit = off; UPDATE posts SET title = 'the last write' WHERE id = (SELECT min(id) FROM posts);",
            asRole: FonanaDatabase.DefaultRole);
        var done = await CompleteAsync(source, target, host.Context);

        Assert.True(done.Verified);
        Assert.Equal("1", _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM posts WHERE title = 'the last write'"));
        AssertNothingLeft(sourceDb, targetDb, slowWal);
    }

    [Fact]
    public async Task TableWithoutPrimaryKey_IsRefusedByDefault_NothingIsCreated_AndTheSourceStaysWritable()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        using var host = new RecordingHost(HangGuard());

        var error = await Assert.ThrowsAsync<MigrationException>(() => ReplicationStarter.StartAsync(StartRequest(source, target, ReplicaIdentityFallback.None), host.Context));

        Assert.Equal("TableWithoutReplicaIdentity", error.ErrorId);
        Assert.Contains("verification_tokens", error.Message);
        Assert.Contains("_ConversationParticipants", error.Message);
        AssertNothingLeft(sourceDb, targetDb);
        _servers.Source.ExecuteSql(sourceDb, """
            UPDATE verification_tokens SET expires = now();
            DELETE FROM "_ConversationParticipants" WHERE "A" = (SELECT min("A") FROM "_ConversationParticipants");
            """, asRole: FonanaDatabase.DefaultRole);
    }

    [Fact]
    public async Task CutOverWhileTheWriterRuns_IsRefused_AndReplicationKeepsGoingUntilTheWritesStop()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        using var host = new RecordingHost(HangGuard());
        await StartReadyAsync(source, target, host.Context);

        await using var writer = SourceWriter.Start(source);
        await writer.WaitForRoundsAsync(5);
        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            CompleteAsync(source, target, host.Context));
        Assert.Equal("ReplicationNotInSync", error.ErrorId);
        Assert.Equal(FailureKind.VerificationFailed, error.Kind);

        var status = (await ReplicationMonitor.GetAsync(new ReplicationStatusRequest { Target = target, Source = source }, host.Context)).Single();
        Assert.True(status.SlotExists);
        Assert.True(status.PublicationExists);
        Assert.Equal("Ready", status.State);
        // Rows written after the refusal still arrive: the cut-over succeeds once the writes stop.
        await writer.WaitForRoundsAsync(writer.Rounds + 10);
        await writer.StopAsync();
        var done = await CompleteAsync(source, target, host.Context);
        Assert.True(done.Verified);
        Assert.Equal(_servers.Source.QueryScalar(sourceDb, "SELECT count(*) FROM posts"), _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM posts"));
        AssertNothingLeft(sourceDb, targetDb);
    }

    [Fact]
    public async Task StopDuringTheInitialCopy_WithClean_LeavesNoSlotPublicationOrSubscription_AndEmptiesTheTarget()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        AddBulkPosts(sourceDb, 20000);
        using var host = new RecordingHost(HangGuard());
        var started = await ReplicationStarter.StartAsync(StartRequest(source, target), host.Context);
        Assert.NotEqual("Ready", started.State);

        var removed = await ReplicationStopper.StopAsync(new ReplicationStopRequest { Source = source, Target = target, Clean = true }, host.Context);

        Assert.Equal(started.Name, Assert.Single(removed).Name);
        AssertNothingLeft(sourceDb, targetDb);
        Assert.Equal("0", _servers.Target.QueryScalar(targetDb, "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM users)"));
        Assert.Equal("d", _servers.Source.QueryScalar(sourceDb, "SELECT relreplident FROM pg_class WHERE relname = 'verification_tokens'"));
    }

    [Fact]
    public async Task StopFromNewSessions_TargetThenSource_AfterTheCopyIsReady_LeavesNothingBehind()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        using (var first = new RecordingHost(HangGuard()))
        {
            await StartReadyAsync(source, target, first.Context);
        }

        using var later = new RecordingHost(HangGuard());
        // The target alone: its subscription drops its own slot on the source.
        var onTarget = Assert.Single(await ReplicationStopper.StopAsync(new ReplicationStopRequest { Target = target }, later.Context));
        Assert.True(onTarget.SubscriptionDropped);
        Assert.Equal("", _servers.Source.QueryScalar(sourceDb, "SELECT string_agg(slot_name, ', ') FROM pg_replication_slots WHERE database = current_database()"));
        // Get lists what is left on the source; the source alone removes it and puts the replica identities back.
        var orphan = Assert.Single(await ReplicationMonitor.GetAsync(new ReplicationStatusRequest { Target = target, Source = source }, later.Context));
        Assert.Equal("Orphaned", orphan.State);
        var onSource = Assert.Single(await ReplicationStopper.StopAsync(new ReplicationStopRequest { Source = source }, later.Context));
        Assert.True(onSource.PublicationDropped);
        Assert.Contains("source public.verification_tokens", onSource.ReplicaIdentitiesRestored);
        AssertNothingLeft(sourceDb, targetDb);
    }

    [Fact]
    public async Task StartWhenTheTargetServerCannotReachTheSource_LeavesNothing_AndACleanedTargetKeepsItsRows()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.SeededTarget();
        var before = _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM posts");
        // A port nothing listens on: the subscription's connection is refused after publication and slot exist.
        var unreachable = DatabaseEndpoint.Parse(_servers.Source.ConnectionUri(FonanaDatabase.DefaultRole, FonanaDatabase.DefaultPassword, sourceDb).Replace($":{_servers.Source.Port}/", ":1/"));
        using var host = new RecordingHost(HangGuard());

        var error = await Assert.ThrowsAsync<MigrationException>(() => ReplicationStarter.StartAsync(
            new ReplicationStartRequest { Source = source, Target = target, SourceFromTarget = unreachable, Clean = true, ReplicaIdentity = ReplicaIdentityFallback.UniqueIndex }, host.Context));

        Assert.Equal("SourceUnreachableFromTarget", error.ErrorId);
        Assert.DoesNotContain(FonanaDatabase.DefaultPassword, error.ToString());
        // The target server logs a failed statement's text by default (log_min_error_statement = error): not this one.
        Assert.DoesNotContain(FonanaDatabase.DefaultPassword, ReadShared(_servers.Target.LogPath));
        AssertNothingLeft(sourceDb, targetDb);
        Assert.Equal(before, _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM posts"));
        Assert.Equal("d", _servers.Source.QueryScalar(sourceDb, "SELECT relreplident FROM pg_class WHERE relname = 'verification_tokens'"));
        Assert.Equal("d", _servers.Target.QueryScalar(targetDb, "SELECT relreplident FROM pg_class WHERE relname = 'verification_tokens'"));
    }

    [Fact]
    public async Task TargetRoleThatMayNotSubscribe_GetsTheClearError_AndNothingIsCreated()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, _) = _servers.EmptyTarget();
        var owner = ServerFixture.Endpoint(_servers.Target, targetDb);
        using var host = new RecordingHost(HangGuard());

        var error = await Assert.ThrowsAsync<MigrationException>(() => ReplicationStarter.StartAsync(StartRequest(source, owner), host.Context));

        Assert.Equal("TargetCannotSubscribe", error.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, error.Kind);
        Assert.Contains("superuser", error.Message);
        AssertNothingLeft(sourceDb, targetDb);
    }

    [Fact]
    public async Task PartitionedTable_IsPublishedThroughItsRoot_AndEveryPartitionVerifies()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        const string ddl = """
            CREATE TABLE events (id int NOT NULL, at date NOT NULL, body text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            """;
        _servers.Source.ExecuteSql(sourceDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Target.ExecuteSql(targetDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Source.ExecuteSql(sourceDb, "INSERT INTO events SELECT i, date '2025-06-01' + (i % 400), 'e' || i FROM generate_series(1, 3000) i;");
        using var host = new RecordingHost(HangGuard());

        var started = await ReplicationStarter.StartAsync(new ReplicationStartRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "events_*" }) }, host.Context);
        Assert.Equal("public.events", Assert.Single(started.TableStatus).Table);
        await WaitReadyAsync(source, target, host.Context);
        _servers.Source.ExecuteSql(sourceDb, "UPDATE events SET body = 'moved' WHERE id % 7 = 0; DELETE FROM events WHERE id % 11 = 0; INSERT INTO events VALUES (9999, '2026-12-31', 'late');");
        var done = await CompleteAsync(source, target, host.Context);

        Assert.True(done.Verified);
        Assert.Equal(new[] { "public.events_2025", "public.events_2026" }, done.TableResults.Select(r => r.Name).ToArray());
        Assert.All(done.TableResults, r => Assert.True(r.Match, r.Name));
        AssertNothingLeft(sourceDb, targetDb);
    }

    // The same fault as PlannerStatisticsTests, at the cut-over: an expression index whose function raises only while
    // ANALYZE samples it. The rows are verified by then; one table's statistics must not hold the application back
    // (before, the cut-over failed and left replication running) nor cost the other tables theirs.
    [Fact]
    public async Task AnalyzeRefusedAtTheCutOver_IsAWarning_TheCutOverCompletes_AndTheOtherTablesAreAnalyzed()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        const string ddl = AnalyzeRefusal.TableDdl + """
            CREATE TABLE zz_plain (id int PRIMARY KEY, body text);
            """;
        _servers.Source.ExecuteSql(sourceDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Target.ExecuteSql(targetDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Source.ExecuteSql(sourceDb, """
            INSERT INTO zz_a_refuses SELECT i, 'r' || i FROM generate_series(1, 500) i;
            INSERT INTO zz_plain SELECT i, 'p' || i FROM generate_series(1, 300) i;
            """, asRole: FonanaDatabase.DefaultRole);
        using var host = new RecordingHost(HangGuard());

        await ReplicationStarter.StartAsync(new ReplicationStartRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "zz_a_refuses", "zz_plain" }) }, host.Context);
        await WaitReadyAsync(source, target, host.Context);
        _servers.Source.ExecuteSql(sourceDb, "INSERT INTO zz_plain VALUES (301, 'late');");
        var done = await CompleteAsync(source, target, host.Context);

        Assert.True(done.Verified);
        Assert.Equal("301", _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM zz_plain"));
        var warning = Assert.Single(host.Drain(), m => m.Level == EngineMessageLevel.Warning && m.EventName == "AnalyzeFailed");
        Assert.Contains(AnalyzeRefusal.Message, warning.Text);
        Assert.Equal("zz_plain", _servers.Target.QueryScalar(targetDb,
            "SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname LIKE 'zz%' AND last_analyze IS NOT NULL"));
        AssertNothingLeft(sourceDb, targetDb);
    }

    // ANALYZE treats a cancel as a warning (the rows are in); the cut-over must not: Ctrl+C while it analyzes stops it
    // before the subscription, slot and publication are removed. The target's ANALYZE is held on an advisory lock by
    // an expression index's function, so the cancel lands exactly there.
    [Fact]
    public async Task CancelWhileTheCutOverAnalyzes_StopsIt_AndReplicationKeepsRunning()
    {
        const string lockKey = "731913";
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        const string ddl = $$"""
            CREATE FUNCTION zz_waits_in_analyze(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
            BEGIN
              IF current_query() ILIKE 'ANALYZE%' THEN PERFORM pg_advisory_lock({{lockKey}}); PERFORM pg_advisory_unlock({{lockKey}}); END IF;
              RETURN t;
            END $$;
            CREATE TABLE zz_waits (id int PRIMARY KEY, body text);
            CREATE INDEX zz_waits_expr ON zz_waits (zz_waits_in_analyze(body));
            """;
        _servers.Source.ExecuteSql(sourceDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Target.ExecuteSql(targetDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Source.ExecuteSql(sourceDb, "INSERT INTO zz_waits SELECT i, 'w' || i FROM generate_series(1, 200) i;", asRole: FonanaDatabase.DefaultRole);

        await StopAfterAsync(sourceDb, source, targetDb, target, async () =>
        {
            using (var setup = new RecordingHost(HangGuard()))
            {
                await ReplicationStarter.StartAsync(new ReplicationStartRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "zz_waits" }) }, setup.Context);
                await WaitReadyAsync(source, target, setup.Context);
            }
            await using var holder = new NpgsqlConnection(target.ConnectionString("test lock holder", 15));
            await holder.OpenAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({lockKey})", holder)) await take.ExecuteScalarAsync();

            using var cancel = new CancellationTokenSource();
            using var host = new RecordingHost(cancel.Token);
            var complete = Task.Run(() => CompleteAsync(source, target, host.Context));
            var waited = 0;
            while (_servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'ANALYZE%' AND wait_event_type = 'Lock'") == "0")
            {
                if (complete.IsCompleted) await complete; // shows why it ended before its ANALYZE
                Assert.True(++waited < 1200, "the cut-over's ANALYZE never waited for the held lock");
                await Task.Delay(50);
            }
            cancel.Cancel();

            var ex = await Assert.ThrowsAsync<MigrationException>(() => complete);
            Assert.Equal("OperationCancelled", ex.ErrorId);
            await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({lockKey})", holder)) await release.ExecuteScalarAsync();
            // Nothing was removed: the subscription still runs and the source's slot and publication are there.
            Assert.Equal("1", _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND subenabled"));
            Assert.Equal("1", _servers.Source.QueryScalar(sourceDb, @"SELECT count(*) FROM pg_publication WHERE pubname LIKE 'fonana\_mig\_%'"));
            Assert.Empty(_servers.Target.ModuleBackends(targetDb).Where(b => b.Split('|')[2] == "active"));
        });
    }

    [Fact]
    public async Task SchemaChangedOnTheSourceDuringTheSync_GetWarnsNamingTheColumn()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        using var host = new RecordingHost(HangGuard());
        await ReplicationStarter.StartAsync(StartRequest(source, target), host.Context);
        await StopAfterAsync(sourceDb, source, targetDb, target, async () =>
        {
            _servers.Source.ExecuteSql(sourceDb, "ALTER TABLE posts ADD COLUMN \"featured\" boolean NOT NULL DEFAULT false;", asRole: FonanaDatabase.DefaultRole);

            var status = (await ReplicationMonitor.GetAsync(new ReplicationStatusRequest { Target = target, Source = source }, host.Context)).Single();

            Assert.Contains(status.Warnings, w => w.Contains("featured", StringComparison.Ordinal));
            Assert.Contains(host.Drain(), m => m.Level == EngineMessageLevel.Warning && m.Text.Contains("featured", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task WaitingOnADisabledSubscription_FailsWithReplicationDisabled_InsteadOfWaitingForever()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        using var setup = new RecordingHost(HangGuard());
        var started = await ReplicationStarter.StartAsync(StartRequest(source, target), setup.Context);
        _servers.Target.ExecuteSql(targetDb, $"ALTER SUBSCRIPTION {started.Name} DISABLE;");
        await StopAfterAsync(sourceDb, source, targetDb, target, async () =>
        {
            // The guard only turns a hang into a failure (OperationCanceledException), it asserts nothing about speed.
            using var host = new RecordingHost(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            var error = await Assert.ThrowsAsync<MigrationException>(() => WaitReadyAsync(source, target, host.Context));
            Assert.Equal("ReplicationDisabled", error.ErrorId);
        });
    }

    [Fact]
    public async Task MaterializedViewOnTheTarget_IsRefreshedAtCutOver_FromTheReplicatedRows()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        const string view = """CREATE MATERIALIZED VIEW creator_count AS SELECT count(*) AS n FROM users WHERE "isCreator";""";
        _servers.Source.ExecuteSql(sourceDb, view, asRole: FonanaDatabase.DefaultRole);
        _servers.Target.ExecuteSql(targetDb, view, asRole: FonanaDatabase.DefaultRole);
        using var host = new RecordingHost(HangGuard());
        await StartReadyAsync(source, target, host.Context);
        Assert.Equal("0", _servers.Target.QueryScalar(targetDb, "SELECT n FROM creator_count"));

        var done = await CompleteAsync(source, target, host.Context);

        Assert.Equal(1, done.MaterializedViewsRefreshed);
        Assert.Equal(FonanaDatabase.CreatorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), _servers.Target.QueryScalar(targetDb, "SELECT n FROM creator_count"));
        AssertNothingLeft(sourceDb, targetDb);
    }

    [Fact]
    public async Task PartlyNullKeyUnderMatchFull_StopsTheCutOverWithForeignKeyViolatedOnTarget_AndReplicationKeepsRunning()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        const string ddl = """
            CREATE TABLE regions (country text NOT NULL, code text NOT NULL, PRIMARY KEY (country, code));
            CREATE TABLE shops (id int PRIMARY KEY, country text, code text, CONSTRAINT shops_region FOREIGN KEY (country, code) REFERENCES regions MATCH FULL);
            """;
        _servers.Source.ExecuteSql(sourceDb, ddl, asRole: FonanaDatabase.DefaultRole);
        _servers.Target.ExecuteSql(targetDb, ddl, asRole: FonanaDatabase.DefaultRole);
        // The source's constraint bypassed (as a load with replica role does): MATCH FULL forbids a key that is only partly NULL.
        _servers.Source.ExecuteSql(sourceDb, "INSERT INTO regions VALUES ('de', 'be'); SET session_replication_role = replica; INSERT INTO shops VALUES (1, 'de', 'be'), (2, 'de', NULL);");
        using var host = new RecordingHost(HangGuard());
        await StartReadyAsync(source, target, host.Context);

        await StopAfterAsync(sourceDb, source, targetDb, target, async () =>
        {
            var error = await Assert.ThrowsAsync<MigrationException>(() => CompleteAsync(source, target, host.Context));

            Assert.Equal("ForeignKeyViolatedOnTarget", error.ErrorId);
            Assert.Contains("shops_region on public.shops: 1 row(s)", error.Message);
            var status = (await ReplicationMonitor.GetAsync(new ReplicationStatusRequest { Target = target, Source = source }, host.Context)).Single();
            Assert.Equal("Ready", status.State);
            Assert.True(status.SlotExists);
        });
    }

    [Fact]
    public async Task TargetWithRows_IsRefusedWithoutClean_AndWithCleanItsRowsAreReplacedAndVerify()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.SeededTarget();
        _servers.Target.ExecuteSql(targetDb, "UPDATE posts SET title = 'only on the target';");
        using var host = new RecordingHost(HangGuard());

        var refused = await Assert.ThrowsAsync<MigrationException>(() => ReplicationStarter.StartAsync(StartRequest(source, target), host.Context));
        Assert.Equal("TargetNotEmpty", refused.ErrorId);
        AssertNothingLeft(sourceDb, targetDb);

        await ReplicationStarter.StartAsync(new ReplicationStartRequest { Source = source, Target = target, Clean = true, ReplicaIdentity = ReplicaIdentityFallback.UniqueIndex }, host.Context);
        await WaitReadyAsync(source, target, host.Context);
        var done = await CompleteAsync(source, target, host.Context);

        Assert.True(done.Verified);
        Assert.Equal("0", _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM posts WHERE title = 'only on the target'"));
        AssertNothingLeft(sourceDb, targetDb);
    }

    [Fact]
    public async Task SourceWithoutLogicalWal_IsRefusedSayingARestartIsNeeded_AndNothingIsCreated()
    {
        using var plain = PostgresServer.Start(new PostgresServerOptions { Name = "repl-plain" });
        FonanaDatabase.Prepare(plain);
        var sourceDb = FonanaDatabase.CreateSeeded(plain, "plain_source");
        var source = ServerFixture.Endpoint(plain, sourceDb);
        var (targetDb, target) = _servers.EmptyTarget();
        using var host = new RecordingHost(HangGuard());

        var error = await Assert.ThrowsAsync<MigrationException>(() => ReplicationStarter.StartAsync(StartRequest(source, target), host.Context));

        Assert.Equal("SourceWalLevelNotLogical", error.ErrorId);
        Assert.Contains("restart", error.Message);
        Assert.Equal("0", plain.QueryScalar(sourceDb, "SELECT (SELECT count(*) FROM pg_publication) + (SELECT count(*) FROM pg_replication_slots)"));
        Assert.Equal("0", _servers.Target.QueryScalar(targetDb, "SELECT count(*) FROM pg_subscription"));
    }

    /// <summary>An application on the source: each round adds a post with a comment and a notification, edits a post,
    /// touches a table without a primary key, and deletes an older post (cascading to its comments), in one transaction.</summary>
    private sealed class SourceWriter : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _task = Task.CompletedTask;
        private int _rounds;

        public int Rounds => Volatile.Read(ref _rounds);

        public static SourceWriter Start(DatabaseEndpoint source)
        {
            var writer = new SourceWriter();
            writer._task = Task.Run(() => writer.RunAsync(source));
            return writer;
        }

        private async Task RunAsync(DatabaseEndpoint source)
        {
            await using var connection = new NpgsqlConnection(source.ConnectionString("test writer", 15));
            await connection.OpenAsync();
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                await using var cmd = new NpgsqlCommand($"""
                    BEGIN;
                    INSERT INTO posts (id, "creatorId", title, content, "createdAt", "updatedAt") SELECT 'live{i}', "creatorId", 'live', 'live', now(), now() FROM posts WHERE "creatorId" IS NOT NULL ORDER BY id LIMIT 1;
                    INSERT INTO comments (id, "postId", "userId", content, "createdAt", "updatedAt") SELECT 'livec{i}', 'live{i}', "creatorId", 'c', now(), now() FROM posts WHERE id = 'live{i}';
                    INSERT INTO notifications (id, "userId", type, title, message, "updatedAt") SELECT 'liven{i}', "userId", type, 'live', 'live', now() FROM notifications ORDER BY id LIMIT 1;
                    UPDATE posts SET title = 'edited {i}' WHERE id = (SELECT id FROM posts WHERE id LIKE 'bulk%' ORDER BY id LIMIT 1 OFFSET {i % 50});
                    UPDATE verification_tokens SET expires = now() WHERE token = (SELECT min(token) FROM verification_tokens);
                    DELETE FROM posts WHERE id = 'live{i - 3}';
                    COMMIT;
                    """, connection);
                await cmd.ExecuteNonQueryAsync();
                Interlocked.Increment(ref _rounds);
            }
        }

        public async Task WaitForRoundsAsync(int rounds)
        {
            while (Rounds < rounds)
            {
                if (_task.IsCompleted) await _task; // surfaces the writer's own failure
                await Task.Delay(20);
            }
        }

        public async Task StopAsync()
        {
            _stop.Cancel();
            await _task;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _task; } catch (Exception) { /* already reported by StopAsync or the test */ }
            _stop.Dispose();
        }
    }
}
