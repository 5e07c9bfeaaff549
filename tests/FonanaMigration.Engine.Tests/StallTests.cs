using System.Net;
using System.Net.Sockets;
using FonanaMigration.Testing;

namespace FonanaMigration.Engine.Tests;

/// <summary>A link that silently stops moving bytes mid-COPY: the run must fail cleanly (TransferStalled), not hang with the target's locks held.</summary>
[Collection(ServerCollection.Name)]
public class StallTests
{
    private readonly ServerFixture _servers;

    public StallTests(ServerFixture servers) => _servers = servers;

    [Fact]
    public async Task SourceLinkThatFreezesMidCopy_FailsAsTransferStalled_AndLeavesTheTargetAsItWas()
    {
        var (sourceName, _) = _servers.Seeded(_servers.Local);
        var (targetName, target) = _servers.Empty(_servers.Prod);
        using var relay = FrozenRelay.Start(_servers.Local.Port);
        var source = DatabaseEndpoint.Parse(_servers.Local.ConnectionUri(FonanaDatabase.DefaultRole, FonanaDatabase.DefaultPassword, sourceName)
            .Replace($":{_servers.Local.Port}/", $":{relay.Port}/", StringComparison.Ordinal));
        // The link freezes once the first table has moved: every later byte from the source is held back.
        var progress = new Progress(p => { if (p.Table is not null) relay.Freeze(); });
        var context = new RunContext(progress: progress).WithOptions(connectTimeoutGiven: false, includeRowValues: false, stallTimeout: TimeSpan.FromSeconds(2));

        var copy = DatabaseCopier.CopyAsync(new CopyRequest { Source = source, Target = target }, context);
        // A hang guard, not a speed check: without stall detection the copy never ends, and the test must say so rather than hang too.
        Assert.Same(copy, await Task.WhenAny(copy, Task.Delay(TimeSpan.FromMinutes(3))));

        var ex = await Assert.ThrowsAsync<MigrationException>(() => copy);
        Assert.True(relay.Frozen);
        Assert.Equal("TransferStalled", ex.ErrorId);
        Assert.Contains("source side", ex.Message);
        Assert.StartsWith("public.", (string)ex.TargetObject!);
        foreach (var table in new[] { "users", "posts", "comments" })
            Assert.Equal("0", _servers.Prod.QueryScalar(targetName, $"SELECT count(*) FROM {table}"));
        Assert.Equal("0", _servers.Prod.QueryScalar("postgres",
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{targetName}' AND application_name LIKE 'FonanaMigration%'"));
    }

    private sealed class Progress(Action<TransferProgress> onReport) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => onReport(value);
    }

    /// <summary>
    /// A loopback TCP relay to a server that, once frozen, keeps every connection open but forwards nothing more, in
    /// either direction: a link that died without a reset. New connections (a driver's cancel request) are frozen too.
    /// </summary>
    private sealed class FrozenRelay : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly int _serverPort;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _sockets = new();
        private volatile bool _frozen;

        private FrozenRelay(int serverPort) => _serverPort = serverPort;

        public static FrozenRelay Start(int serverPort)
        {
            var relay = new FrozenRelay(serverPort);
            relay._listener.Start();
            _ = relay.AcceptAsync();
            return relay;
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public bool Frozen => _frozen;
        public void Freeze() => _frozen = true;

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var server = new TcpClient();
                    await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
                    lock (_sockets) { _sockets.Add(client); _sockets.Add(server); }
                    _ = PumpAsync(client.GetStream(), server.GetStream());
                    _ = PumpAsync(server.GetStream(), client.GetStream());
                }
            }
            catch (Exception) { } // stopped
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to)
        {
            var buffer = new byte[16384];
            try
            {
                int n;
                while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    if (_frozen) await Task.Delay(Timeout.Infinite, _stop.Token);
                    await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
            catch (Exception) { } // stopped, or a side closed
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        }
    }
}
