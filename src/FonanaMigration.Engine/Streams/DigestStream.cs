using System.Security.Cryptography;

namespace FonanaMigration.Engine.Streams;

/// <summary>
/// A pass-through stream that hashes (SHA-256) and counts the bytes and COPY rows going through it.
/// </summary>
internal sealed class DigestStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _writing;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly RowCounter _rows;

    public DigestStream(Stream inner, bool writing, string dataFormat = CopyFormat.Text)
    {
        _inner = inner;
        _writing = writing;
        _rows = RowCounter.For(dataFormat);
    }

    public long Bytes { get; private set; }
    public long Rows => _rows.Rows;
    /// <summary>The bytes so far end at a row boundary (binary: after the trailer).</summary>
    public bool RowsComplete => _rows.Complete;

    public string HashHex() => Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    private void Observe(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Bytes += data.Length;
        _rows.Observe(data);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        _inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => !_writing;
    public override bool CanSeek => false;
    public override bool CanWrite => _writing;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }
    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    // Asynchronously too: disposing a write-behind entry waits for its queued chunks (WriteBehindStream).
    public override async ValueTask DisposeAsync()
    {
        try { await _inner.DisposeAsync().ConfigureAwait(false); }
        finally { _hash.Dispose(); }
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
