using System.Text;

namespace FonanaMigration.Engine.Streams;

/// <summary>
/// Moves COPY data between the server and a stream (or another server) in fixed-size chunks, so no table is ever held
/// in memory. Binary data moves as bytes untouched; COPY text goes through Npgsql's text reader/writer and UTF-8.
/// </summary>
internal static class CopyPump
{
    private const int Chunk = 1 << 16;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Bytes from <paramref name="source"/> to <paramref name="destination"/>; <paramref name="rows"/> reads the row count so far.</summary>
    public static async Task BytesAsync(Stream source, Stream destination, Func<long> rows, Action<long, long> onProgress, CancellationToken ct)
    {
        var buffer = new byte[Chunk];
        var throttle = new Throttle();
        long bytes = 0;
        int filled = 0, read;
        // A binary COPY OUT hands over one row (a few hundred bytes) per read: the buffer is filled before it is passed
        // on, so hashing, Deflate and the target's COPY each see whole chunks instead of millions of small writes.
        while ((read = await source.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false)) > 0)
        {
            filled += read;
            if (filled < buffer.Length) continue;
            await destination.WriteAsync(buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
            bytes += filled;
            filled = 0;
            if (throttle.Due()) onProgress(rows(), bytes);
        }
        if (filled > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
            bytes += filled;
        }
        onProgress(rows(), bytes);
    }

    /// <summary>Server COPY text → UTF-8 bytes (an archive entry).</summary>
    public static async Task TextToBytesAsync(TextReader source, DigestStream destination, Action<long, long> onProgress, CancellationToken ct)
    {
        var chars = new char[Chunk / 2];
        var encoder = new UTF8Encoding(false, true).GetEncoder();
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(chars.Length)];
        var throttle = new Throttle();
        int read;
        while ((read = await source.ReadAsync(chars.AsMemory(), ct).ConfigureAwait(false)) > 0)
        {
            var n = encoder.GetBytes(chars, 0, read, bytes, 0, flush: false);
            await destination.WriteAsync(bytes.AsMemory(0, n), ct).ConfigureAwait(false);
            if (throttle.Due()) onProgress(destination.Rows, destination.Bytes);
        }
        var tail = encoder.GetBytes(chars, 0, 0, bytes, 0, flush: true);
        if (tail > 0) await destination.WriteAsync(bytes.AsMemory(0, tail), ct).ConfigureAwait(false);
        onProgress(destination.Rows, destination.Bytes);
    }

    /// <summary>UTF-8 bytes (an archive entry) → server COPY text.</summary>
    public static async Task BytesToTextAsync(DigestStream source, TextWriter destination, Action<long, long> onProgress, CancellationToken ct)
    {
        var bytes = new byte[Chunk];
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(Chunk)];
        var throttle = new Throttle();
        int read;
        while ((read = await source.ReadAsync(bytes.AsMemory(), ct).ConfigureAwait(false)) > 0)
        {
            var n = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            await destination.WriteAsync(chars.AsMemory(0, n), ct).ConfigureAwait(false);
            if (throttle.Due()) onProgress(source.Rows, source.Bytes);
        }
        var tail = decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
        if (tail > 0) await destination.WriteAsync(chars.AsMemory(0, tail), ct).ConfigureAwait(false);
        onProgress(source.Rows, source.Bytes);
    }

    /// <summary>Server COPY text → server COPY text (a live copy), counting rows by their line ends and bytes as UTF-8 (what the connection sends, and what an export would write).</summary>
    public static async Task<long> TextAsync(TextReader source, TextWriter destination, Action<long, long> onProgress, CancellationToken ct)
    {
        var chars = new char[Chunk / 2];
        // Encoded into a scratch buffer only to count: the encoder keeps a surrogate pair split between reads whole.
        var utf8 = new UTF8Encoding(false).GetEncoder();
        var scratch = new byte[Encoding.UTF8.GetMaxByteCount(chars.Length)];
        var throttle = new Throttle();
        long rows = 0, moved = 0;
        int read;
        while ((read = await ReadSourceAsync(source, chars, ct).ConfigureAwait(false)) > 0)
        {
            rows += chars.AsSpan(0, read).Count('\n');
            moved += utf8.GetBytes(chars, 0, read, scratch, 0, flush: false);
            await destination.WriteAsync(chars.AsMemory(0, read), ct).ConfigureAwait(false);
            if (throttle.Due()) onProgress(rows, moved);
        }
        onProgress(rows, moved);
        return rows;
    }

    private static async Task<int> ReadSourceAsync(TextReader source, char[] chars, CancellationToken ct)
    {
        try { return await source.ReadAsync(chars.AsMemory(), ct).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException and not MigrationException) { throw new SourceReadException(ex); }
    }

    private sealed class Throttle
    {
        private DateTime _last = DateTime.UtcNow;

        public bool Due()
        {
            var now = DateTime.UtcNow;
            if (now - _last < ReportEvery) return false;
            _last = now;
            return true;
        }
    }
}
