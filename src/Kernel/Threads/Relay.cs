using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Events;
using Tether.Kernel.Transfers;
using Tether.Kernel.Triggers;

namespace Tether.Kernel.Threads;

/// <summary>
/// Passes on what arrives (the seed's "merge what was received, then push the result on to every other remote"):
/// received merges raise the receive and conflict events, are pushed on to the other remotes, and have their content
/// looked for; a remote reached again gets the uploads that waited for it, and a drive that comes back a full scan
/// (content both ways, whatever changed while it was away).
/// </summary>
public sealed class Relay(ChannelReader<Arrival> arrivals, Pusher pusher, TransferScheduler transfers, TransferScanner scanner,
    RemoteAvailability availability, EventBus events, TimeProvider clock, ILogger log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var arrival in arrivals.ReadAllAsync(ct)) HandleOne(arrival);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>One arrival that cannot be passed on (the repository moved away meanwhile, say) is logged; the next ones still are.</summary>
    private void HandleOne(Arrival arrival)
    {
        try { Handle(arrival); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or LibGit2Sharp.LibGit2SharpException)
        {
            log.LogWarning("Passing on {Arrival} failed: {Error}", arrival, e.Message);
            events.Publish(new ErrorEvent(clock.GetUtcNow(), "relay", e.Message));
        }
    }

    private void Handle(Arrival arrival)
    {
        switch (arrival)
        {
            case ChangesReceived received: PassOn(received); break;
            case RemoteReached reached: Reconnected(reached.Remote); break;
        }
    }

    private void PassOn(ChangesReceived received)
    {
        if (received.Merges.Count > 0)
        {
            var now = clock.GetUtcNow();
            events.Publish(new ReceiveEvent(now, received.Remote, received.Merges));
            var conflicts = received.Merges.SelectMany(m => m.Conflicts).ToList();
            if (conflicts.Count > 0) events.Publish(new ConflictEvent(now, conflicts));
            pusher.PushAll();
        }
        if (received.Merges.Count > 0 || received.AnnexChanged) scanner.ScanChanges();
    }

    private void Reconnected(string remote)
    {
        transfers.RemoteConnected(remote);
        if (availability.IsWatched(remote)) scanner.ScanTree();
        else scanner.ScanChanges();
    }
}
