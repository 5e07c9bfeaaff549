using System.Security.Cryptography;
using FonanaMigration.Engine.Streams;

namespace FonanaMigration.Engine.Tests;

public class WriteBehindStreamTests
{
    /// <summary>An inner stream that can be held shut, fail on a chosen write, and records what reached it.</summary>
    private sealed class Recording : StreamStub
    {
        private readonly MemoryStream _received = new();
        public readonly ManualResetEventSlim Open = new(true);
        public int Writes;
        public int FailAtWrite = -1;
        public bool Disposed;

        public override void Write(byte[] buffer, int offset, int count)
        {
            Open.Wait(TimeSpan.FromSeconds(30));
            if (Writes++ == FailAtWrite) throw new IOException("injected: no space left on device");
            lock (_received) _received.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }

        public byte[] Received() { lock (_received) return _received.ToArray(); }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }

        public override bool CanWrite => true;
    }

    [Fact]
    public async Task EveryByte_ReachesTheInnerStream_InOrder_WhateverTheWriteSizes()
    {
        var data = RandomNumberGenerator.GetBytes(3_000_000);
        var inner = new Recording();
        var stream = new WriteBehindStream(inner);
        var sizes = new[] { 1, 7, 650, 65536, 3, 200_000, 12 };
        for (int at = 0, i = 0; at < data.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], data.Length - at);
            await stream.WriteAsync(data.AsMemory(at, n));
            at += n;
        }
        await stream.DisposeAsync();

        Assert.True(inner.Disposed);
        Assert.Equal(data, inner.Received());
    }

    [Fact]
    public async Task Writes_ReturnBeforeTheInnerStreamHasTakenThem_AndFlushWaitsUntilItHas()
    {
        var inner = new Recording();
        inner.Open.Reset(); // the inner stream (Deflate, a disk) is busy
        var stream = new WriteBehindStream(inner);

        var writes = Task.Run(async () => { for (var i = 0; i < 3; i++) await stream.WriteAsync(new byte[] { (byte)i }); });
        Assert.True(writes.Wait(TimeSpan.FromSeconds(10)), "the caller was held up by a busy inner stream");
        Assert.Empty(inner.Received());

        var flush = stream.FlushAsync();
        await Task.Delay(200);
        Assert.False(flush.IsCompleted, "Flush returned before the queued writes reached the inner stream");

        inner.Open.Set();
        await flush.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 0, 1, 2 }, inner.Received());
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task AFailureOfTheInnerStream_ComesBackAsThrown_OnALaterWrite_AndTheInnerStreamIsStillReleased()
    {
        var inner = new Recording { FailAtWrite = 2 };
        var stream = new WriteBehindStream(inner);

        var thrown = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 1000; i++) await stream.WriteAsync(new byte[100]);
        });
        Assert.Contains("no space left", thrown.Message);

        var again = await Assert.ThrowsAsync<IOException>(async () => await stream.DisposeAsync());
        Assert.Same(thrown, again);
        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task AFailureOfTheLastWrites_IsReportedByFlushOrDispose_NeverLost()
    {
        var inner = new Recording { FailAtWrite = 0 };
        inner.Open.Reset();
        var stream = new WriteBehindStream(inner);
        await stream.WriteAsync(new byte[10]); // queued: the caller cannot know yet
        inner.Open.Set();

        await Assert.ThrowsAsync<IOException>(() => stream.FlushAsync());
        await Assert.ThrowsAsync<IOException>(async () => await stream.DisposeAsync());
        Assert.True(inner.Disposed);
    }
}
