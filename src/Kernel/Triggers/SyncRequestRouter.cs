using Microsoft.Extensions.Logging;
using Tether.Kernel.Daemon;
using Tether.Kernel.Events;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Transfers;
using Tether.Kernel.Threads;

namespace Tether.Kernel.Triggers;

/// <summary>
/// Where the daemon's triggers' requests go. A sync request is a poke (the same path as <c>tether poke REMOTE</c>);
/// a remote becoming available at a new place gets a new worker there (which pulls and pushes, raises
/// <c>remote-connected</c>, and has the transfer scanner offer content both ways); a remote becoming unavailable
/// loses its worker, its running transfers stop (recorded as failed, resumed on its return), and
/// <c>remote-disconnected</c> is raised.
/// </summary>
public sealed class SyncRequestRouter(RemoteAvailability availability, Pusher pusher, TransferScheduler transfers, EventBus events, DaemonStatus status, TimeProvider clock, ILogger log)
{
    private readonly SemaphoreSlim _changing = new(1, 1);

    public void RequestSync(string? remote, string reason, string trigger)
    {
        if (remote is not null && availability.UnavailableReason(remote) is { } why)
        {
            log.LogDebug("Trigger {Trigger} asked to sync {Remote} ({Reason}); skipped: it is unavailable ({Why})", trigger, remote, reason, why);
            return;
        }
        log.LogDebug("Trigger {Trigger}: syncing {Remote} ({Reason})", trigger, remote ?? "every remote", reason);
        if (!pusher.Poke(remote) && remote is not null)
            log.LogWarning("Trigger {Trigger} asked to sync '{Remote}', which is not a configured remote", trigger, remote);
    }

    public async Task AvailableAsync(string remote, string? location, string reason, string trigger, CancellationToken ct)
    {
        if (!availability.IsKnown(remote))
        {
            log.LogWarning("Trigger {Trigger} reported '{Remote}' available, which is not a configured remote", trigger, remote);
            return;
        }
        await _changing.WaitAsync(ct);
        try
        {
            if (!availability.MarkAvailable(remote, location, reason))
            {
                pusher.Poke(remote);
                return;
            }
            log.LogInformation("{Remote} is available{At}: {Reason}", remote, location is null ? "" : $" at {location}", reason);
            if (location is not null) await RepairAsync(remote, location, ct);
            Apply();
            status.UpdateRemote(remote, s => s with { Unavailable = null });
            // A watched remote's worker does not announce it: one event per arrival, with where it was found.
            if (availability.IsWatched(remote)) events.Publish(new RemoteConnectedEvent(clock.GetUtcNow(), remote, reason));
        }
        finally { _changing.Release(); }
    }

    public async Task UnavailableAsync(string remote, string reason, string trigger, CancellationToken ct)
    {
        await _changing.WaitAsync(ct);
        try
        {
            if (!availability.IsKnown(remote) || !availability.MarkUnavailable(remote, reason)) return;
            log.LogInformation("{Remote} is unavailable: {Reason} (trigger {Trigger})", remote, reason, trigger);
            Apply(); // its worker stops: a push under way is cut (git writes refs atomically; stale locks are removed on return)
            transfers.RemoteUnavailable(remote, reason);
            status.UpdateRemote(remote, s => s with { Unavailable = reason, NextRetryAt = null });
            events.Publish(new RemoteDisconnectedEvent(clock.GetUtcNow(), remote, reason));
        }
        finally { _changing.Release(); }
    }

    /// <summary>Gives the workers and the transfer queue the remotes as they are now.</summary>
    public void Apply()
    {
        transfers.SetRemotes(availability.All());
        pusher.SetRemotes(availability.Reachable());
    }

    /// <summary>
    /// A drive pulled out mid-push can hold git lock files nobody will ever release (refs/**.lock, packed-refs.lock):
    /// they are removed before syncing, so the next push completes what the last one started.
    /// </summary>
    private async Task RepairAsync(string remote, string location, CancellationToken ct)
    {
        if (!AnnexRepository.TryOpen(location, out var drive)) return;
        try { await StaleGitLocks.RemoveAsync(drive, clock, log, ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("{Remote}: could not check {Location} for stale git locks: {Error}", remote, location, e.Message);
        }
    }
}
