using System.Diagnostics;

namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Fails a COPY whose stream moves no data for too long. Each read, write or COPY start on one side must finish within
/// the limit; one that does not is cancelled and reported as TransferStalled, naming the table and the side, so a
/// silently dropped connection ends in a clean rollback instead of a hang while the target holds its locks.
/// </summary>
/// <remarks>
/// One timer per watch checks the step in flight, instead of a timer armed and disarmed around every step: a binary
/// COPY OUT hands over one row per read, and arming a timer per row cost more CPU than the rows' own handling.
/// </remarks>
internal sealed class StallWatch : IDisposable
{
    private readonly TimeSpan? _limit;
    private readonly string _table;
    private readonly CancellationTokenSource _stalled = new();
    private readonly Timer? _timer;
    private readonly object _gate = new();
    private int _inFlight;
    private long _stepStarted;
    private string _side = "";
    private string? _stalledSide;
    private CancellationToken _linkedFor;
    private CancellationTokenSource? _linked;

    public StallWatch(TimeSpan? limit, string table)
    {
        _limit = limit;
        _table = table;
        if (limit is { } l)
        {
            // Checked a few times per limit: a stall is noticed between limit and limit + period after the step began.
            var period = TimeSpan.FromTicks(Math.Clamp(l.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
            _timer = new Timer(_ => Check(l), null, period, period);
        }
    }

    /// <summary>Runs one step of the transfer on <paramref name="side"/> (its endpoint, or the archive file) under the limit.</summary>
    public async Task<T> RunAsync<T>(string side, Func<CancellationToken, Task<T>> step, CancellationToken ct)
    {
        if (_limit is null) return await step(ct).ConfigureAwait(false);
        var token = Begin(side, ct);
        try
        {
            return await step(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStall(ex, ct))
        {
            throw Stalled(ex);
        }
        finally
        {
            End();
        }
    }

    public Task RunAsync(string side, Func<CancellationToken, Task> step, CancellationToken ct) =>
        RunAsync<bool>(side, async t => { await step(t).ConfigureAwait(false); return true; }, ct);

    public Stream Guard(Stream inner, string side) => _limit is null ? inner : new GuardedStream(inner, this, side);
    public TextReader Guard(TextReader inner, string side) => _limit is null ? inner : new GuardedReader(inner, this, side);
    public TextWriter Guard(TextWriter inner, string side) => _limit is null ? inner : new GuardedWriter(inner, this, side);

    public void Dispose()
    {
        _timer?.Dispose();
        _linked?.Dispose();
        _stalled.Dispose();
    }

    private CancellationToken Begin(string side, CancellationToken ct)
    {
        lock (_gate)
        {
            _side = side;
            if (_inFlight++ == 0) _stepStarted = Stopwatch.GetTimestamp();
            if (!ct.CanBeCanceled) return _stalled.Token;
            // Every step of a transfer passes the run's token: link it once, not per step.
            if (_linked is null || _linkedFor != ct)
            {
                _linked?.Dispose();
                _linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stalled.Token);
                _linkedFor = ct;
            }
            return _linked.Token;
        }
    }

    private void End()
    {
        // Steps on the two sides may overlap; the clock restarts whenever one of them finishes, since data moved.
        lock (_gate)
        {
            _inFlight--;
            _stepStarted = Stopwatch.GetTimestamp();
        }
    }

    private void Check(TimeSpan limit)
    {
        lock (_gate)
        {
            if (_inFlight == 0 || _stalledSide is not null || Stopwatch.GetElapsedTime(_stepStarted) < limit) return;
            _stalledSide = _side;
        }
        try { _stalled.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    // Npgsql answers a cancel it could not deliver by breaking the connection, so any failure after the timer fired is the stall.
    private bool IsStall(Exception ex, CancellationToken ct) =>
        ex is not MigrationException && _stalled.IsCancellationRequested && !ct.IsCancellationRequested;

    private MigrationException Stalled(Exception ex) =>
        new(FailureKind.ConnectionFailed, ErrorIds.TransferStalled,
            $"No data moved on the {_stalledSide ?? _side} side for {_limit!.Value.TotalSeconds:0} seconds while transferring {_table}: the connection stalled " +
            "(a dropped link or a frozen server). The transfer was cancelled; a load rolls back, so nothing was committed. " +
            "Raise -StallTimeout if the server is merely slow.", _table, ex);

    private sealed class GuardedStream(Stream inner, StallWatch watch, string side) : Stream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var token = watch.Begin(side, cancellationToken);
            try { return await inner.ReadAsync(buffer, token).ConfigureAwait(false); }
            catch (Exception ex) when (watch.IsStall(ex, cancellationToken)) { throw watch.Stalled(ex); }
            finally { watch.End(); }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var token = watch.Begin(side, cancellationToken);
            try { await inner.WriteAsync(buffer, token).ConfigureAwait(false); }
            catch (Exception ex) when (watch.IsStall(ex, cancellationToken)) { throw watch.Stalled(ex); }
            finally { watch.End(); }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => watch.RunAsync(side, inner.FlushAsync, cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() => inner.Flush();
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class GuardedReader(TextReader inner, StallWatch watch, string side) : TextReader
    {
        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
            new(watch.RunAsync(side, t => inner.ReadAsync(buffer, t).AsTask(), cancellationToken));

        public override int Read(char[] buffer, int index, int count) => inner.Read(buffer, index, count);
    }

    private sealed class GuardedWriter(TextWriter inner, StallWatch watch, string side) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
            watch.RunAsync(side, t => inner.WriteAsync(buffer, t), cancellationToken);

        public override void Write(char value) => inner.Write(value);
    }
}
