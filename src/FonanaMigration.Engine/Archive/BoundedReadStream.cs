
namespace FonanaMigration.Engine.Archive;

/// <summary>
/// Reads an archive entry but never more than the size it declares: one byte beyond is an error at once, so an entry
/// that inflates past what it claims (a zip bomb) stops there instead of filling memory, a disk or a target.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly Func<MigrationException> _tooLong;
    private long _read;

    public BoundedReadStream(Stream inner, long limit, Func<MigrationException> tooLong)
    {
        _inner = inner;
        _limit = limit;
        _tooLong = tooLong;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Ask for at most one byte past the limit: enough to notice an overrun, never enough to inflate much.
        var n = _inner.Read(buffer[..Allowed(buffer.Length)]);
        return Count(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false);
        return Count(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Allowed(int wanted) => (int)Math.Min(wanted, Math.Max(0, _limit - _read) + 1);

    private int Count(int n)
    {
        _read += n;
        if (_read > _limit) throw _tooLong();
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
