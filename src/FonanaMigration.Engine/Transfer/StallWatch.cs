
namespace FonanaMigration.Engine.Transfer;

/// <summary>
/// Fails a COPY whose stream moves no data for too long. Each read, write or COPY start on one side must finish within
/// the limit; one that does not is cancelled and reported as TransferStalled, naming the table and the side, so a
/// silently dropped connection ends in a clean rollback instead of a hang while the target holds its locks.
/// </summary>
internal sealed class StallWatch
{
    private readonly TimeSpan? _limit;
    private readonly string _table;

    public StallWatch(TimeSpan? limit, string table)
    {
        _limit = limit;
        _table = table;
    }

    /// <summary>Runs one step of the transfer on <paramref name="side"/> (its endpoint, or the archive file) under the limit.</summary>
    public async Task<T> RunAsync<T>(string side, Func<CancellationToken, Task<T>> step, CancellationToken ct)
    {
        if (_limit is not { } limit) return await step(ct).ConfigureAwait(false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(limit);
        try
        {
            return await step(timer.Token).ConfigureAwait(false);
        }
        // Npgsql answers a cancel it could not deliver by breaking the connection, so any failure after the timer fired is the stall.
        catch (Exception ex) when (ex is not MigrationException && timer.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new MigrationException(FailureKind.ConnectionFailed, ErrorIds.TransferStalled,
                $"No data moved on the {side} side for {limit.TotalSeconds:0} seconds while transferring {_table}: the connection stalled " +
                "(a dropped link or a frozen server). The transfer was cancelled; a load rolls back, so nothing was committed. " +
                "Raise -StallTimeout if the server is merely slow.", _table, ex);
        }
    }

    public Task RunAsync(string side, Func<CancellationToken, Task> step, CancellationToken ct) =>
        RunAsync<bool>(side, async t => { await step(t).ConfigureAwait(false); return true; }, ct);

    public Stream Guard(Stream inner, string side) => _limit is null ? inner : new GuardedStream(inner, this, side);
    public TextReader Guard(TextReader inner, string side) => _limit is null ? inner : new GuardedReader(inner, this, side);
    public TextWriter Guard(TextWriter inner, string side) => _limit is null ? inner : new GuardedWriter(inner, this, side);

    private sealed class GuardedStream(Stream inner, StallWatch watch, string side) : Stream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(watch.RunAsync(side, t => inner.ReadAsync(buffer, t).AsTask(), cancellationToken));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(watch.RunAsync(side, t => inner.WriteAsync(buffer, t).AsTask(), cancellationToken));

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
