using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Hands every write to <c>inner</c> on a task of its own, so an inner stream that costs CPU (an archive entry's
/// Deflate) runs on a second core while the caller goes on reading the source. At most a few chunks wait, so memory
/// stays flat. A failure of the inner stream comes back as it was thrown, on the next write, flush or dispose.
/// </summary>
internal sealed class WriteBehindStream : Stream
{
    private const int Waiting = 4;

    private readonly Stream _inner;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(Waiting) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _drain;
    private bool _disposed;

    private readonly record struct Pending(byte[]? Buffer, int Length, TaskCompletionSource? Flushed);

    public WriteBehindStream(Stream inner)
    {
        _inner = inner;
        _drain = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (item.Buffer is { } buffer)
                {
                    try { await _inner.WriteAsync(buffer.AsMemory(0, item.Length)).ConfigureAwait(false); }
                    finally { ArrayPool<byte>.Shared.Return(buffer); }
                }
                else
                {
                    await _inner.FlushAsync().ConfigureAwait(false);
                    item.Flushed!.SetResult();
                }
            }
        }
        catch (Exception ex)
        {
            // The writer learns of it on its next call; what is still queued is dropped (the entry is broken anyway).
            _queue.Writer.TryComplete(ex);
            while (_queue.Reader.TryRead(out var left))
            {
                if (left.Buffer is { } b) ArrayPool<byte>.Shared.Return(b);
                left.Flushed?.TrySetException(ex);
            }
            throw;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return;
        var copy = ArrayPool<byte>.Shared.Rent(buffer.Length);
        buffer.CopyTo(copy);
        try
        {
            await _queue.Writer.WriteAsync(new Pending(copy, buffer.Length, null), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Only a failed drain closes the queue while the stream is open.
            ArrayPool<byte>.Shared.Return(copy);
            await RethrowDrainFailureAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception)
        {
            ArrayPool<byte>.Shared.Return(copy);
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult(); // no caller writes synchronously (CopyPump is async): correct, not fast

    /// <summary>Returns once everything written so far has reached the inner stream and it has flushed.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new Pending(null, 0, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await RethrowDrainFailureAsync().ConfigureAwait(false);
            throw;
        }
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    private async Task RethrowDrainFailureAsync()
    {
        try { await _drain.ConfigureAwait(false); }
        catch (Exception ex) { ExceptionDispatchInfo.Capture(ex).Throw(); }
    }

    /// <summary>Waits for every queued write, then disposes the inner stream (which, for a zip entry, finishes it).</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _queue.Writer.TryComplete();
        Exception? failure = null;
        try { await _drain.ConfigureAwait(false); }
        catch (Exception ex) { failure = ex; }
        if (failure is null)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            // The inner stream is released either way; its own complaint about the broken entry adds nothing.
            try { await _inner.DisposeAsync().ConfigureAwait(false); } catch (Exception) { }
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
