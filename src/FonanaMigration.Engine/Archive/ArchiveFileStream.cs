
namespace FonanaMigration.Engine.Archive;

/// <summary>
/// The archive's file on disk. Every write, flush and resize that fails (a full disk, a lost mount, no permission) becomes
/// <c>ArchiveWriteFailed</c> naming the file and the free space left, so the failure is never blamed on the source server.
/// </summary>
internal sealed class ArchiveFileStream : Stream
{
    private readonly FileStream _file;
    private readonly string _shownPath;

    public ArchiveFileStream(FileStream file, string shownPath)
    {
        _file = file;
        _shownPath = shownPath;
    }

    public override void Write(byte[] buffer, int offset, int count) => Guard(() => _file.Write(buffer, offset, count));
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { _file.Write(buffer); }
        catch (IOException ex) { throw Failure(ex); }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try { await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch (IOException ex) { throw Failure(ex); }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => Guard(_file.Flush);
    public void FlushToDisk() => Guard(() => _file.Flush(flushToDisk: true));

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try { await _file.FlushAsync(cancellationToken).ConfigureAwait(false); }
        catch (IOException ex) { throw Failure(ex); }
    }

    public override void SetLength(long value) => Guard(() => _file.SetLength(value));
    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => Guard(() => _file.Seek(offset, origin));
    public override bool CanRead => _file.CanRead;
    public override bool CanSeek => _file.CanSeek;
    public override bool CanWrite => _file.CanWrite;
    public override long Length => _file.Length;
    public override long Position { get => _file.Position; set => Guard(() => _file.Position = value); }

    // Seeking flushes the write buffer, so it can fail for want of space too.
    private void Guard(Action action)
    {
        try { action(); }
        catch (IOException ex) { throw Failure(ex); }
    }

    private T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (IOException ex) { throw Failure(ex); }
    }

    public MigrationException Failure(Exception ex) => ArchiveWriteFailure.For(_shownPath, ex);

    protected override void Dispose(bool disposing)
    {
        // Closing flushes what is buffered: on a full disk that fails, and the handle must still be released so the
        // partial file can be deleted.
        if (disposing)
        {
            try { _file.Dispose(); }
            catch (IOException ex) { throw Failure(ex); }
        }
        base.Dispose(disposing);
    }
}
