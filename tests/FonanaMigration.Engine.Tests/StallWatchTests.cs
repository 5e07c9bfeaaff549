using FonanaMigration.Engine.Transfer;

namespace FonanaMigration.Engine.Tests;

/// <summary>The stall limit applies to each step (one read or write), not to the whole transfer; servers are in StallTests.</summary>
public class StallWatchTests
{
    /// <summary>Hands over one byte per read after a delay, or never (until cancelled) once the link "freezes".</summary>
    private sealed class Trickle(int bytes, TimeSpan delay, int freezeAfter = int.MaxValue) : StreamStub
    {
        private int _left = bytes;
        private int _reads;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0) return 0;
            if (_reads++ >= freezeAfter) await Task.Delay(Timeout.Infinite, cancellationToken);
            await Task.Delay(delay, cancellationToken);
            buffer.Span[0] = 1;
            _left--;
            return 1;
        }

        public override bool CanRead => true;
    }

    private static async Task<int> DrainAsync(Stream stream)
    {
        var buffer = new byte[16];
        int total = 0, n;
        while ((n = await stream.ReadAsync(buffer, CancellationToken.None)) > 0) total += n;
        return total;
    }

    [Fact]
    public async Task ASlowLinkThatKeepsMoving_IsNotAStall_EvenWhenTheWholeTransferTakesLongerThanTheLimit()
    {
        // Each read takes 50 ms, 1/40 of the limit, so a busy test machine cannot make one of them look like a stall;
        // all of them together take 4 s, twice the limit.
        using var watch = new StallWatch(TimeSpan.FromSeconds(2), "public.posts");
        var guarded = watch.Guard(new Trickle(bytes: 80, delay: TimeSpan.FromMilliseconds(50)), "source");

        Assert.Equal(80, await DrainAsync(guarded));
    }

    [Fact]
    public async Task AReadThatNeverEnds_FailsAsTransferStalled_NamingTheSideAndTheTable()
    {
        using var watch = new StallWatch(TimeSpan.FromMilliseconds(300), "public.posts");
        var guarded = watch.Guard(new Trickle(bytes: 100, delay: TimeSpan.FromMilliseconds(10), freezeAfter: 5), "source");

        var drain = DrainAsync(guarded);
        Assert.Same(drain, await Task.WhenAny(drain, Task.Delay(TimeSpan.FromSeconds(30)))); // a hang guard, not a speed check
        var ex = await Assert.ThrowsAsync<MigrationException>(() => drain);
        Assert.Equal("TransferStalled", ex.ErrorId);
        Assert.Contains("source side", ex.Message);
        Assert.Equal("public.posts", ex.TargetObject);
    }

    [Fact]
    public async Task TheCallersOwnCancel_StaysACancel_NotAStall()
    {
        using var watch = new StallWatch(TimeSpan.FromSeconds(30), "public.posts");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var guarded = watch.Guard(new Trickle(bytes: 100, delay: TimeSpan.FromMilliseconds(10), freezeAfter: 2), "target");

        var buffer = new byte[16];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await guarded.ReadAsync(buffer, cancel.Token) > 0) { }
        });
    }
}
