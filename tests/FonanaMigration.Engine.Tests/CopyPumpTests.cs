using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Tests;

public class CopyPumpTests
{
    /// <summary>Hands over at most <c>perRead</c> bytes per read, as a binary COPY OUT does with one row per message.</summary>
    private sealed class Rowwise(byte[] data, int perRead) : StreamStub
    {
        private int _at;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(perRead, buffer.Length), data.Length - _at);
            data.AsSpan(_at, n).CopyTo(buffer.Span);
            _at += n;
            return ValueTask.FromResult(n);
        }

        public override bool CanRead => true;
    }

    private sealed class Recording : MemoryStream
    {
        public readonly List<int> Writes = new();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    [Fact]
    public async Task RowSizedReads_ArePassedOnAsWholeChunks_AndEveryByteArrivesInOrder()
    {
        var data = new byte[1_000_000];
        new Random(13).NextBytes(data);
        var destination = new Recording();
        long lastBytes = 0;

        await CopyPump.BytesAsync(new Rowwise(data, perRead: 650), destination, () => 0, (_, bytes) => lastBytes = bytes, CancellationToken.None);

        Assert.Equal(data, destination.ToArray());
        Assert.Equal(data.Length, lastBytes);
        // 1 MB in 650-byte reads is 1,539 reads; hashing, Deflate and the target's COPY must see 64 KiB chunks instead.
        Assert.Equal(16, destination.Writes.Count);
        Assert.All(destination.Writes.SkipLast(1), n => Assert.Equal(1 << 16, n));
    }
}
