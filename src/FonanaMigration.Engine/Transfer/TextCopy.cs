using System.Text;

namespace FonanaMigration.Engine;

/// <summary>
/// Moves COPY text between Npgsql's text reader/writer and UTF-8 byte streams in fixed-size chunks, so no table is
/// ever held in memory. Rows are counted by their line ends as they pass.
/// </summary>
internal static class TextCopy
{
    private const int ChunkChars = 1 << 15;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Server → archive: chars from the COPY reader, encoded to UTF-8 into <paramref name="destination"/>.</summary>
    public static async Task PumpAsync(TextReader source, DigestStream destination, Action<long> onRows, CancellationToken ct)
    {
        var chars = new char[ChunkChars];
        var encoder = new UTF8Encoding(false, true).GetEncoder();
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(ChunkChars)];
        var lastReport = DateTime.UtcNow;
        int read;
        while ((read = await source.ReadAsync(chars.AsMemory(), ct).ConfigureAwait(false)) > 0)
        {
            var n = encoder.GetBytes(chars, 0, read, bytes, 0, flush: false);
            await destination.WriteAsync(bytes.AsMemory(0, n), ct).ConfigureAwait(false);
            if (DateTime.UtcNow - lastReport > ReportEvery)
            {
                onRows(destination.Lines);
                lastReport = DateTime.UtcNow;
            }
        }
        var tail = encoder.GetBytes(chars, 0, 0, bytes, 0, flush: true);
        if (tail > 0) await destination.WriteAsync(bytes.AsMemory(0, tail), ct).ConfigureAwait(false);
        onRows(destination.Lines);
    }

    /// <summary>Archive → server: UTF-8 bytes from <paramref name="source"/>, decoded into the COPY writer.</summary>
    public static async Task PumpAsync(DigestStream source, TextWriter destination, Action<long> onRows, CancellationToken ct)
    {
        var bytes = new byte[ChunkChars];
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(ChunkChars)];
        var lastReport = DateTime.UtcNow;
        int read;
        while ((read = await source.ReadAsync(bytes.AsMemory(), ct).ConfigureAwait(false)) > 0)
        {
            var n = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            await destination.WriteAsync(chars.AsMemory(0, n), ct).ConfigureAwait(false);
            if (DateTime.UtcNow - lastReport > ReportEvery)
            {
                onRows(source.Lines);
                lastReport = DateTime.UtcNow;
            }
        }
        var tail = decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
        if (tail > 0) await destination.WriteAsync(chars.AsMemory(0, tail), ct).ConfigureAwait(false);
        onRows(source.Lines);
    }
}
