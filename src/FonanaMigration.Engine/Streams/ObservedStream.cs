namespace FonanaMigration.Engine.Streams;

/// <summary>The source side of a live copy: shows every byte read to a <see cref="RowCounter"/> and marks read failures as the source's.</summary>
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
        int n;
        try { n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException) { throw new SourceReadException(ex); }
        _counter.Observe(buffer.Span[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

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
