using Tether.Sdk.Triggers;

namespace Tether.Kernel.Triggers;

/// <summary>Asks for a sync of one remote (or all) every <c>every</c>; sleeps in between (one timer, no polling).</summary>
public sealed class IntervalTrigger(string? remote, TimeSpan every, TimeProvider clock) : ISyncTrigger
{
    public async Task RunAsync(ISyncRequester kernel, CancellationToken ct)
    {
        var reason = $"every {Configuration.DurationText.Format(every)}";
        using var timer = new PeriodicTimer(every, clock);
        while (await timer.WaitForNextTickAsync(ct))
            await kernel.RequestSyncAsync(remote, reason, ct);
    }
}
