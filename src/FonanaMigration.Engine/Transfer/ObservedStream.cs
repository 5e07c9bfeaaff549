namespace FonanaMigration.Engine;

/// <summary>A read-only pass-through that shows every byte read to a <see cref="RowCounter"/> (progress for a live copy).</summary>
internal sealed class ObservedStream : Stream
{
    private readonly Stream _inner;
    private readonly RowCounter _counter;

    public ObservedStream(Stream inner, RowCounter counter)
    {
        _inner = inner;
        _counter = counter;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _counter.Observe(buffer.Span[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
        _counter.Observe(buffer.AsSpan(offset, n));
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
