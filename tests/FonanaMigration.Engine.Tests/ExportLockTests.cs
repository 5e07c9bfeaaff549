using FonanaMigration.Testing;
using Npgsql;

namespace FonanaMigration.Engine.Tests;

/// <summary>Export and Copy lock what they read, so TRUNCATE and DDL on a table not yet read wait instead of emptying it under the snapshot.</summary>
[Collection(ServerCollection.Name)]
public class ExportLockTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-export-locks-").FullName;

    public ExportLockTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static readonly TimeSpan DeadlockGuard = TimeSpan.FromMinutes(5);

    // aaa_first is read first and takes a while; zzz_later is read last.
    private (string Name, DatabaseEndpoint Endpoint) TwoTables()
    {
        var (name, source) = _servers.Empty(_servers.Local);
        _servers.Local.ExecuteSql(name, """
            CREATE TABLE aaa_first (id int PRIMARY KEY, data text);
            INSERT INTO aaa_first SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 50000) i;
            CREATE TABLE zzz_later (id int PRIMARY KEY);
            INSERT INTO zzz_later SELECT generate_series(1, 1000);
            """, asRole: FonanaDatabase.DefaultRole);
        return (name, source);
    }

    private static async Task<NpgsqlConnection> OpenAsync(DatabaseEndpoint endpoint)
    {
        var connection = new NpgsqlConnection(endpoint.ConnectionString("test truncator", 15));
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task TruncateOfATableNotYetRead_WaitsForTheExport_AndTheArchiveHoldsTheSnapshotsRows()
    {
        var (name, source) = TwoTables();
        await using var truncator = await OpenAsync(source);
        var progress = TruncateLaterOnceFirstIsRead(name, truncator);

        var path = Path.Combine(_work, "locked.fnz");
        // Not a time limit on the export: a guard that turns a lock-queue deadlock (the failure this test exists for) into a failure, not a hang.
        using var deadlockGuard = new CancellationTokenSource(DeadlockGuard);
        var info = await DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext(progress: progress, cancellationToken: deadlockGuard.Token));
        await progress.Truncate!;

        Assert.True(progress.SawWaiting, "the TRUNCATE must have waited for the export's lock");
        Assert.Equal(1000, info.Tables.Single(t => t.Name == "zzz_later").Rows);
        Assert.Equal(50000, info.Tables.Single(t => t.Name == "aaa_first").Rows);
        Assert.Equal("0", _servers.Local.QueryScalar(name, "SELECT count(*) FROM zzz_later")); // it ran once the export let go
    }

    [Fact]
    public async Task TableThatCannotBeLocked_FailsTheExportBeforeAnyRow_NamingTheTable()
    {
        var (_, source) = TwoTables();
        await using var holder = await OpenAsync(source);
        await new NpgsqlCommand("BEGIN; LOCK TABLE zzz_later IN ACCESS EXCLUSIVE MODE", holder).ExecuteNonQueryAsync();
        var path = Path.Combine(_work, "blocked.fnz");
        var rowsSeen = false;
        var progress = new Progress(p => rowsSeen |= p.Table is not null);

        var ex = await Assert.ThrowsAsync<MigrationException>(() => DatabaseExporter.ExportAsync(
            new ExportRequest { Source = source, Path = path, LockTimeout = TimeSpan.FromMilliseconds(500) }, new RunContext(progress: progress)));

        Assert.Equal("SourceTableLocked", ex.ErrorId);
        Assert.Equal(FailureKind.ResourceBusy, ex.Kind);
        Assert.Equal("public.zzz_later", ex.TargetObject);
        Assert.Contains("public.zzz_later", ex.Message);
        Assert.False(rowsSeen);
        Assert.Empty(Directory.GetFileSystemEntries(_work));
    }

    [Fact]
    public async Task TruncateOfATableNotYetCopied_WaitsForTheCopy_AndTheTargetGetsTheSnapshotsRows()
    {
        var (name, source) = TwoTables();
        var (targetName, target) = _servers.Empty(_servers.Prod);
        _servers.Prod.ExecuteSql(targetName, "CREATE TABLE aaa_first (id int PRIMARY KEY, data text); CREATE TABLE zzz_later (id int PRIMARY KEY);", asRole: FonanaDatabase.DefaultRole);
        await using var truncator = await OpenAsync(source);
        var progress = TruncateLaterOnceFirstIsRead(name, truncator);

        // Without the locks taken up front this deadlocked: the checksum connection held zzz_later, the TRUNCATE queued
        // behind it, and the reader queued behind the TRUNCATE. The guard turns such a hang into a failure.
        using var deadlockGuard = new CancellationTokenSource(DeadlockGuard);
        var result = await DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target, Tables = new TableFilter(new[] { "aaa_first", "zzz_later" }) },
            new RunContext(progress: progress, cancellationToken: deadlockGuard.Token));
        await progress.Truncate!;

        Assert.True(progress.SawWaiting, "the TRUNCATE must have waited for the copy's lock");
        Assert.True(result.Verified);
        Assert.Equal("1000", _servers.Prod.QueryScalar(targetName, "SELECT count(*) FROM zzz_later"));
    }

    private sealed class Progress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => onReport(value);
    }

    private TruncateLater TruncateLaterOnceFirstIsRead(string database, NpgsqlConnection truncator) =>
        new(truncator, () => _servers.Local.QueryScalar("postgres",
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND application_name = 'test truncator' AND wait_event_type = 'Lock'") != "0");

    /// <summary>Progress that, once the run reads aaa_first, sends TRUNCATE zzz_later on another session.</summary>
    private sealed class TruncateLater(NpgsqlConnection truncator, Func<bool> truncatorWaitsForALock) : IProgress<TransferProgress>
    {
        public Task? Truncate { get; private set; }
        public bool SawWaiting { get; private set; }

        public void Report(TransferProgress value)
        {
            if (value.Table != "public.aaa_first" || Truncate is not null) return;
            Truncate = new NpgsqlCommand("TRUNCATE zzz_later", truncator).ExecuteNonQueryAsync();
            // Go on only once the TRUNCATE has either finished (no lock held) or is queued behind the run's lock.
            while (!Truncate.IsCompleted && !SawWaiting)
                SawWaiting = truncatorWaitsForALock();
        }
    }
}
