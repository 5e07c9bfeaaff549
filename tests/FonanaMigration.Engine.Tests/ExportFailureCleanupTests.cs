using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>Whatever stops an export (a full disk, a lost source, a cancel), no file is left behind, and the error names the real cause.</summary>
[Collection(ServerCollection.Name)]
public class ExportFailureCleanupTests : IDisposable
{
    private readonly ServerFixture _servers;
    private readonly string _work = Directory.CreateTempSubdirectory("fonana-export-fail-").FullName;

    public ExportFailureCleanupTests(ServerFixture servers) => _servers = servers;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    // noise2 is read after noise, so a failure injected while noise is read always has work left to interrupt.
    // About 8 MB of random hex that Deflate cannot shrink below ~4 MB: more than the 2 MB disk below holds.
    private (string Name, DatabaseEndpoint Endpoint) SourceLargerThanTwoMegabytes()
    {
        var (name, source) = _servers.Empty(_servers.Local);
        _servers.Local.ExecuteSql(name, """
            CREATE TABLE noise (id int PRIMARY KEY, data text NOT NULL);
            INSERT INTO noise SELECT i, md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) FROM generate_series(1, 60000) i;
            CREATE TABLE noise2 (id int PRIMARY KEY);
            INSERT INTO noise2 SELECT generate_series(1, 10);
            """, asRole: FonanaDatabase.DefaultRole);
        return (name, source);
    }

    [RootFact]
    public async Task DiskFullDuringExport_IsArchiveWriteFailed_NamingThePathAndFreeSpace_AndLeavesNoFile()
    {
        var (_, source) = SourceLargerThanTwoMegabytes();
        using var disk = new SmallDisk(_work, "2m");
        var path = Path.Combine(disk.Path, "full.fnz");

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path, Tables = new TableFilter(new[] { "noise" }) }, new RunContext()));

        Assert.Equal("ArchiveWriteFailed", ex.ErrorId);
        Assert.Equal(FailureKind.WriteFailed, ex.Kind);
        Assert.Contains(path, ex.Message);
        Assert.Contains("free on the disk", ex.Message);
        Assert.DoesNotContain(source.DisplayName, ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [Fact]
    public async Task SourceLostDuringExport_LeavesNoArchiveAndNoPartialFile()
    {
        var (name, source) = SourceLargerThanTwoMegabytes();
        var path = Path.Combine(_work, "lost.fnz");
        var killed = 0;
        var progress = new Progress(p =>
        {
            if (p.Table == "public.noise" && p.BytesDone > 0 && Interlocked.Exchange(ref killed, 1) == 0)
                _servers.Local.QueryScalar("postgres", $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND application_name LIKE 'FonanaMigration export%'");
        });

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext(progress: progress)));

        Assert.Equal(1, killed);
        Assert.NotEqual("ArchiveWriteFailed", ex.ErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(_work));
    }

    [Fact]
    public async Task CancelledExport_LeavesNoArchiveAndNoPartialFile()
    {
        var (_, source) = SourceLargerThanTwoMegabytes();
        var path = Path.Combine(_work, "cancelled.fnz");
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(p => { if (p.Table == "public.noise" && p.BytesDone > 0) cancel.Cancel(); });

        var ex = await Assert.ThrowsAsync<MigrationException>(() =>
            DatabaseExporter.ExportAsync(new ExportRequest { Source = source, Path = path }, new RunContext(progress: progress, cancellationToken: cancel.Token)));

        Assert.Equal(FailureKind.Cancelled, ex.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_work));
    }

    private sealed class Progress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => onReport(value);
    }
}
