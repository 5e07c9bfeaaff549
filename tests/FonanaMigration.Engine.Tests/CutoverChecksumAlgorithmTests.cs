using FonanaMigration.Engine.Verification;
using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>
/// The cut-over compare (downtime) uses typed-hash-v1 on both sides when both servers are 14+, records it in every
/// table result, refuses a target that differs by one character of text or one microsecond of a timestamptz, and
/// completes once they agree.
/// </summary>
[Collection(ReplicationServerCollection.Name)]
public class CutoverChecksumAlgorithmTests
{
    private readonly ReplicationServerFixture _servers;

    public CutoverChecksumAlgorithmTests(ReplicationServerFixture servers) => _servers = servers;

    [Fact]
    public async Task CutOver_ComparesWithTheTypedHash_RefusesOneCharacterOrOneMicrosecondOfDifference_AndCompletesWhenEqual()
    {
        var (sourceDb, source) = _servers.SeededSource();
        var (targetDb, target) = _servers.EmptyTarget();
        _servers.Source.ExecuteSql(sourceDb, LiveChecksumAlgorithmTests.EventsSql + LiveChecksumAlgorithmTests.EventRowsSql, asRole: FonanaDatabase.DefaultRole);
        _servers.Target.ExecuteSql(targetDb, LiveChecksumAlgorithmTests.EventsSql, asRole: FonanaDatabase.DefaultRole);
        // Not a timing assertion: only a bound so that a broken replication fails the test instead of hanging CI.
        using var host = new RecordingHost(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        var request = new ReplicationCompleteRequest { Source = source, Target = target };
        try
        {
            await ReplicationStarter.StartAsync(new ReplicationStartRequest { Source = source, Target = target, ReplicaIdentity = ReplicaIdentityFallback.UniqueIndex }, host.Context);
            await ReplicationMonitor.WaitUntilReadyAsync(new ReplicationStatusRequest { Target = target, Source = source }, host.Context, TimeSpan.FromMilliseconds(200));

            foreach (var change in new[] { LiveChecksumAlgorithmTests.OneCharacter, LiveChecksumAlgorithmTests.OneMicrosecond })
            {
                // Written on the target only: the source holds no such change, so replication never overwrites it.
                _servers.Target.ExecuteSql(targetDb, change);
                var error = await Assert.ThrowsAsync<MigrationException>(() => ReplicationCutover.CompleteAsync(request, host.Context));
                _servers.Target.ExecuteSql(targetDb, LiveChecksumAlgorithmTests.Restore);

                Assert.Equal("ReplicationNotInSync", error.ErrorId);
                var results = error.Details.Cast<RowCountComparison>().ToList();
                var events = Assert.Single(results, r => !r.Match);
                Assert.Equal("public.events", events.Name);
                Assert.Equal(events.Expected, events.Actual);
                Assert.False(events.ChecksumMatch, change);
                Assert.All(results, r => Assert.Equal("typed-hash-v1", r.ChecksumAlgorithm));
            }

            var done = await ReplicationCutover.CompleteAsync(request, host.Context);
            Assert.True(done.Verified);
            Assert.Contains(done.TableResults, r => r.Name == "public.events");
            Assert.All(done.TableResults, r => { Assert.True(r.ChecksumMatch, r.Name); Assert.Equal("typed-hash-v1", r.ChecksumAlgorithm); });
        }
        finally
        {
            using var cleanup = new RecordingHost();
            await ReplicationStopper.StopAsync(new ReplicationStopRequest { Source = source, Target = target }, cleanup.Context);
        }
    }
}
