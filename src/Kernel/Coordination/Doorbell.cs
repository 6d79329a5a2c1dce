using System.Threading.Channels;

namespace Tether.Kernel.Coordination;

/// <summary>
/// The one way a loop is woken: <see cref="Ring"/> wakes a waiter, or the next <see cref="WaitAsync"/> if nobody waits.
/// Rings beyond <c>waiters</c> that nobody has taken yet are merged (a ring says "look again", not "one more item").
/// </summary>
public sealed class Doorbell(int waiters = 1)
{
    private readonly Channel<bool> _rings = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(Math.Max(1, waiters)) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Ring() => _rings.Writer.TryWrite(true);

    /// <summary>Rings up to <paramref name="count"/> times (wakes that many waiters).</summary>
    public void Ring(int count)
    {
        for (var i = 0; i < count; i++) Ring();
    }

    /// <summary>Waits for a ring; false when <paramref name="ct"/> ends the wait.</summary>
    public async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            await _rings.Reader.ReadAsync(ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for a ring, at most <paramref name="timeout"/> on <paramref name="clock"/> (infinite allowed); true when it
    /// rang, false when the time passed or <paramref name="ct"/> ended the wait.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ring = _rings.Reader.ReadAsync(stop.Token).AsTask();
        var delay = Task.Delay(timeout, clock, stop.Token);
        await Task.WhenAny(ring, delay);
        await stop.CancelAsync(); // a read that had not completed takes no ring
        await Task.WhenAll(ring, delay).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return ring.IsCompletedSuccessfully;
    }
}
