using System.Net;
using System.Net.Sockets;

namespace FonanaMigration.Testing;

/// <summary>
/// A TCP relay on 127.0.0.1 between the module and a server, so a test can break the network at a moment it
/// chooses: <see cref="Cut"/> resets every open connection, <see cref="Freeze"/> stops forwarding while keeping the
/// sockets open (a silently dropped link), <see cref="Throttle"/> limits the bytes per second in each direction.
/// New connections are accepted unless <see cref="RefuseNew"/> is set, so a re-run after a cut goes through.
/// </summary>
public sealed class FaultRelay : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Link> _links = new();
    private readonly object _gate = new();
    private long _bytesPerSecond;
    private volatile bool _frozen;
    private long _bytesToServer;
    private long _bytesToClient;
    private int _accepted;
    private byte[]? _cutOnText;
    private bool _forwardBeforeCut;
    private int _cutsOnText;

    public FaultRelay(string upstreamHost, int upstreamPort)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstreamHost), upstreamPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    /// <summary>A relay in front of a test server.</summary>
    public static FaultRelay For(PostgresServer server) => new(server.Host, server.Port);

    public string Host => PostgresServer.LoopbackHost;
    public int Port { get; }

    /// <summary>Bytes forwarded from the module to the server, and back.</summary>
    public long BytesToServer => Interlocked.Read(ref _bytesToServer);
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);
    public long BytesForwarded => BytesToServer + BytesToClient;

    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    public int OpenConnections
    {
        get { lock (_gate) { return _links.Count; } }
    }

    /// <summary>When set, new connections are reset as soon as they arrive (the server is unreachable).</summary>
    public bool RefuseNew { get; set; }

    /// <summary>Resets (RST) every open connection on both sides, as a dropped link or a killed middlebox would.</summary>
    public void Cut()
    {
        Link[] links;
        lock (_gate)
        {
            links = _links.ToArray();
            _links.Clear();
        }
        foreach (var link in links)
        {
            link.Reset();
        }
    }

    /// <summary>Stops forwarding in both directions; the sockets stay open, so neither side sees an error.</summary>
    public void Freeze() => _frozen = true;

    /// <summary>Undoes <see cref="Freeze"/> and <see cref="Throttle"/>.</summary>
    public void Resume()
    {
        _frozen = false;
        Interlocked.Exchange(ref _bytesPerSecond, 0);
    }

    /// <summary>Limits each direction of each connection to this many bytes per second (0: no limit).</summary>
    public void Throttle(long bytesPerSecond) => Interlocked.Exchange(ref _bytesPerSecond, Math.Max(0, bytesPerSecond));

    /// <summary>
    /// Arms a one-shot cut on the next chunk from the module that contains <paramref name="text"/> (ASCII, e.g. "COMMIT"):
    /// with <paramref name="forwardFirst"/> the server gets the chunk and its answer is held back, so the server acts
    /// but the module never hears of it; otherwise the chunk is dropped. Either way every connection is then reset.
    /// </summary>
    public void CutOnClientText(string text, bool forwardFirst)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        _forwardBeforeCut = forwardFirst;
        Volatile.Write(ref _cutOnText, System.Text.Encoding.ASCII.GetBytes(text));
    }

    /// <summary>How many times an armed <see cref="CutOnClientText"/> fired.</summary>
    public int CutsOnText => Volatile.Read(ref _cutsOnText);

    /// <summary>Waits until at least this many bytes went through (true) or the wait is over (false).</summary>
    public bool WaitForBytes(long bytes, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (BytesForwarded < bytes)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            Thread.Sleep(5);
        }
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
    }

    public override string ToString() => $"relay {Host}:{Port} -> {_upstream}";

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref _accepted);
            if (RefuseNew)
            {
                Link.ResetSocket(client);
                continue;
            }
            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_upstream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Link.ResetSocket(client);
            server.Dispose();
            return;
        }
        var link = new Link(client, server);
        lock (_gate)
        {
            _links.Add(link);
        }
        var up = PumpAsync(link, client, server, toServer: true);
        var down = PumpAsync(link, server, client, toServer: false);
        await Task.WhenAny(up, down).ConfigureAwait(false);
        // One side closed: pass the close on, as a real link would.
        link.Close();
        lock (_gate)
        {
            _links.Remove(link);
        }
    }

    private async Task PumpAsync(Link link, Socket from, Socket to, bool toServer)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (!link.Token.IsCancellationRequested)
            {
                await WhileFrozenAsync(link.Token).ConfigureAwait(false);
                var limit = Interlocked.Read(ref _bytesPerSecond);
                // Under a throttle, read at most a tenth of a second's worth at a time.
                var chunk = limit > 0 ? (int)Math.Clamp(limit / 10, 1, BufferSize) : BufferSize;
                var read = await from.ReceiveAsync(buffer.AsMemory(0, chunk), SocketFlags.None, link.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                // Bytes read before a freeze are held until it ends, as a stalled router would hold them.
                await WhileFrozenAsync(link.Token).ConfigureAwait(false);
                if (toServer && Volatile.Read(ref _cutOnText) is { } text && buffer.AsSpan(0, read).IndexOf(text) >= 0
                    && Interlocked.CompareExchange(ref _cutOnText, null, text) == text)
                {
                    await CutOnTextAsync(link, to, buffer, read).ConfigureAwait(false);
                    return;
                }
                if (!toServer && link.HoldToClient)
                {
                    continue; // swallowed: the module must not learn what the server answered
                }
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, link.Token).ConfigureAwait(false);
                }
                if (toServer) Interlocked.Add(ref _bytesToServer, read); else Interlocked.Add(ref _bytesToClient, read);
                if (limit > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)read / limit), link.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception)
        {
            // A reset, a cancelled link or a closed socket all end this direction.
        }
    }

    private async Task CutOnTextAsync(Link link, Socket server, byte[] buffer, int read)
    {
        Interlocked.Increment(ref _cutsOnText);
        if (_forwardBeforeCut)
        {
            link.HoldToClient = true;
            var sent = 0;
            while (sent < read)
            {
                sent += await server.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
            }
            // Time for the server to act on it (a COMMIT of a loaded transaction takes milliseconds here).
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        Cut();
    }

    private async Task WhileFrozenAsync(CancellationToken token)
    {
        while (_frozen)
        {
            await Task.Delay(10, token).ConfigureAwait(false);
        }
    }

    private sealed class Link
    {
        private readonly Socket _client;
        private readonly Socket _server;
        private readonly CancellationTokenSource _cancel = new();
        private int _closed;

        public Link(Socket client, Socket server)
        {
            _client = client;
            _server = server;
        }

        public CancellationToken Token => _cancel.Token;

        /// <summary>Set by a forwarded cut: the server's answer must never reach the module.</summary>
        public volatile bool HoldToClient;

        public void Reset()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            _cancel.Cancel();
            ResetSocket(_client);
            ResetSocket(_server);
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            _cancel.Cancel();
            foreach (var socket in new[] { _client, _server })
            {
                try { socket.Shutdown(SocketShutdown.Both); } catch (Exception) { }
                socket.Dispose();
            }
        }

        /// <summary>Linger 0 makes Close send RST instead of FIN: the peer sees "connection reset".</summary>
        public static void ResetSocket(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception)
            {
                // Already closed.
            }
            socket.Dispose();
        }
    }
}
