using System.Threading.Channels;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Coordination;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Topology;

namespace Tether.Kernel.Threads;

/// <summary>
/// One remote's loop: waits for work (a commit to push, a poke to pull) or for its retry time, then does it.
/// Each remote has its own worker, so a slow or dead remote never delays the others. A failure schedules a
/// retry after the push retry interval; a poke retries at once. A remote on another machine, which cannot push to us,
/// is pulled from every <see cref="PullInterval"/> unless its live change notification already tells us of its changes.
/// </summary>
public sealed class RemoteWorker(
    Remote remote,
    AnnexRepository repo,
    RemoteEndpointFactory endpoints,
    GitRemoteSync gitSync,
    TimeSpan retryInterval,
    ChannelWriter<Arrival> arrivals,
    EventBus events,
    DaemonStatus status,
    TimeProvider clock,
    ILogger log)
{
    private readonly Doorbell _doorbell = new();
    private int _work;
    private DateTimeOffset? _retryAt;
    private DateTimeOffset _pullAt;
    private int _live; // 1 while the live notification session serves this remote: no periodic pulls then
    private int _connected; // 1 once reached; the notification session's loss (another thread) clears it too

    /// <summary>While paused (the deletion guard), nothing is pulled or pushed; the work waits for the resume.</summary>
    public Coordination.SyncPause? Pause { get; init; }


    /// <summary>
    /// True when this worker raises remote-connected and remote-disconnected as it reaches or loses the remote. False for
    /// a remote a trigger watches (a drive): the trigger's arrival and departure are those events, with where it is.
    /// </summary>
    public bool AnnouncesConnection { get; init; } = true;

    /// <summary>What the remote-connected event says when this worker first reaches the remote (a trigger's reason, if one reported it).</summary>
    public string ConnectReason { get; init; } = "reached";

    public string Name => remote.Name;

    public Remote Remote => remote;

    /// <summary>The remote's endpoint once it could be opened (used by the transfer queue).</summary>
    public RemoteEndpoint? Endpoint { get; private set; }

    public void Request(RemoteWork work)
    {
        Interlocked.Or(ref _work, (int)work);
        _doorbell.Ring();
    }

    /// <summary>Keep a live notification session to the remote (ssh remotes the ssh backend serves, local paths on network mounts), pulling when it says so.</summary>
    public bool ListensForChanges { get; init; }

    /// <summary>How often to pull when nothing else does (remotes on other machines); zero: never. Read at each wait (a reload changes it).</summary>
    public Func<TimeSpan> PullInterval { get; init; } = () => TimeSpan.Zero;

    public async Task RunAsync(CancellationToken ct)
    {
        var listener = ListensForChanges
            ? RemoteChangeListener.For(remote, repo.WorkTree!, both => Request(both ? RemoteWork.Pull | RemoteWork.Push : RemoteWork.Pull),
                LiveChanged, clock, log)
            : null;
        var listening = listener is null ? Task.CompletedTask : Task.Run(() => listener.RunAsync(ct), CancellationToken.None);
        try { await WorkAsync(ct); }
        finally { await listening; }
    }

    /// <summary>
    /// The notification session is the connection (issue 20): its loss is remote-disconnected at once, and the sync its
    /// reconnection asks for raises remote-connected again.
    /// </summary>
    private void LiveChanged(bool? live)
    {
        Interlocked.Exchange(ref _live, live == true ? 1 : 0);
        // A remote the live session serves is not polled: said at once, not when the worker next waits (it may be busy).
        status.UpdateRemote(Name, s => s with { Live = live, NextPullAt = live == true ? null : s.NextPullAt });
        _doorbell.Ring(); // the wait is worked out again: periodic pulls stop or start
        if (live == false && Interlocked.Exchange(ref _connected, 0) == 1 && AnnouncesConnection)
            events.Publish(new RemoteDisconnectedEvent(clock.GetUtcNow(), Name, "change notification lost"));
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        _pullAt = clock.GetUtcNow() + PullInterval();
        while (!ct.IsCancellationRequested)
        {
            var (retryDue, pullDue) = await WaitAsync(ct);
            if (ct.IsCancellationRequested) break;
            var work = (RemoteWork)Interlocked.Exchange(ref _work, 0);
            if (retryDue) work |= RemoteWork.Pull | RemoteWork.Push;
            if (pullDue)
            {
                log.LogDebug("{Remote}: periodic pull (every {Interval})", Name, PullInterval());
                work |= RemoteWork.Pull;
            }
            if (work == RemoteWork.None) continue;
            await DoAsync(work, ct);
            if (work.HasFlag(RemoteWork.Pull)) _pullAt = clock.GetUtcNow() + PullInterval();
        }
    }

    /// <summary>Waits for a request, the retry time or the next periodic pull; says which time came.</summary>
    private async Task<(bool RetryDue, bool PullDue)> WaitAsync(CancellationToken ct)
    {
        // A failing remote keeps to its retry time; one the live notification serves is not polled.
        DateTimeOffset? pullAt = _retryAt is null && Volatile.Read(ref _live) == 0 && PullInterval() > TimeSpan.Zero && (Endpoint?.HasGit != false || remote.GitBundles)
            ? _pullAt : null;
        if (pullAt is not null || status.Remote(Name)?.NextPullAt is not null) // shown in status; a remote never polled stays out of it
            status.UpdateRemote(Name, s => s.NextPullAt == pullAt ? s : s with { NextPullAt = pullAt });
        var next = _retryAt is { } retry && (pullAt is null || retry <= pullAt) ? retry : pullAt;
        var timeout = next is { } at ? Max(at - clock.GetUtcNow(), TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
        if (await _doorbell.WaitAsync(timeout, clock, ct) || ct.IsCancellationRequested) return (false, false);
        return next == _retryAt ? (true, false) : (false, true);
    }

    private async Task DoAsync(RemoteWork work, CancellationToken ct)
    {
        if (Pause?.IsPaused == true)
        {
            Interlocked.Or(ref _work, (int)work); // kept for the resume, which rings again
            return;
        }
        try
        {
            Endpoint ??= await endpoints.OpenAsync(remote, ct);
            if (!Endpoint.HasGit && !remote.GitBundles) status.UpdateRemote(Name, s => s with { ContentOnly = true });
            if (work.HasFlag(RemoteWork.Pull)) await PullAsync(ct);
            if (work.HasFlag(RemoteWork.Push)) await PushAsync(ct);
            _retryAt = null;
            if (await new TopologyRecorder(repo, clock).RecordReachedAsync([Endpoint], ct) && work.HasFlag(RemoteWork.Push))
            {
                // A fresh record would otherwise wait in the journal for the next change in the work tree (a CI flake showed it).
                using (var branch = new GitAnnexBranch(repo, clock)) await branch.CommitAsync("update", ct);
                await PushAsync(ct, announce: false); // the same push completed: one push event (and hook run) for it
            }
            status.UpdateRemote(Name, s => s with { NextRetryAt = null });
            if (Interlocked.Exchange(ref _connected, 1) == 0)
            {
                if (AnnouncesConnection) events.Publish(new RemoteConnectedEvent(clock.GetUtcNow(), Name, ConnectReason));
                await arrivals.WriteAsync(new RemoteReached(Name), ct);
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Stopping: a push or fetch cut short changes nothing on either side (git updates refs atomically).
        }
        catch (Exception e) when (IsRemoteFailure(e))
        {
            Endpoint = null; // reopen next time: the remote may have moved or come back
            if (WentAway())
            {
                // A drive unplugged mid-push: its trigger reports the departure (with where it was) a moment later.
                Interlocked.Exchange(ref _connected, 0);
                _retryAt = clock.GetUtcNow() + retryInterval;
                status.UpdateRemote(Name, s => s with { NextRetryAt = _retryAt });
                log.LogInformation("{Remote}: went away during a {Work} ({Error}); waiting for it to come back", Name, work, e.Message);
                return;
            }
            if (Interlocked.Exchange(ref _connected, 0) == 1 && AnnouncesConnection) events.Publish(new RemoteDisconnectedEvent(clock.GetUtcNow(), Name, e.Message));
            _retryAt = clock.GetUtcNow() + retryInterval;
            var failed = work.HasFlag(RemoteWork.Push) ? "push" : "pull";
            log.LogWarning("{Remote}: {Step} failed, retrying at {RetryAt:u} or on a poke: {Error}", Name, failed, _retryAt, e.Message);
            status.UpdateRemote(Name, s => failed == "push"
                ? s with { LastPushAt = clock.GetUtcNow(), LastPushOk = false, LastPushError = e.Message, NextRetryAt = _retryAt }
                : s with { LastPullAt = clock.GetUtcNow(), LastPullOk = false, LastPullError = e.Message, NextRetryAt = _retryAt });
            if (failed == "push") events.Publish(new PushEvent(clock.GetUtcNow(), Name, false, e.Message));
            else events.Publish(new ErrorEvent(clock.GetUtcNow(), $"pull from {Name}", e.Message));
        }
    }

    private async Task PullAsync(CancellationToken ct)
    {
        var merges = await gitSync.PullAsync(Endpoint!, ct);
        var ours = gitSync.CurrentBranch();
        var theirs = gitSync.MainLineOf(Name, ours);
        status.UpdateRemote(Name, s => s with { LastPullAt = clock.GetUtcNow(), LastPullOk = true, LastPullError = null, MainLine = theirs == ours ? null : theirs });
        log.LogDebug("{Remote}: pulled, {Count} merge(s)", Name, merges.Count);
        await arrivals.WriteAsync(new ChangesReceived(Name, merges, AnnexChanged: true), ct);
    }

    private async Task PushAsync(CancellationToken ct, bool announce = true)
    {
        gitSync.UpdateSyncedBranch();
        await gitSync.PushAsync(Endpoint!, IsBare(), ct);
        status.UpdateRemote(Name, s => s with { LastPushAt = clock.GetUtcNow(), LastPushOk = true, LastPushError = null });
        if (announce) events.Publish(new PushEvent(clock.GetUtcNow(), Name, true, null));
        log.LogDebug("{Remote}: pushed", Name);
    }

    /// <summary>A watched remote (a drive) whose repository is no longer at its path has been unplugged, not failed.</summary>
    private bool WentAway() =>
        !AnnouncesConnection && remote.IsLocalPath && !AnnexRepository.TryOpen(Path.GetFullPath(remote.LocalPath, repo.WorkTree ?? repo.GitDir), out _);

    private bool IsBare() => remote.IsLocalPath && AnnexRepository.TryOpen(Path.GetFullPath(remote.LocalPath, repo.WorkTree ?? repo.GitDir), out var r) && r.IsBare;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool IsRemoteFailure(Exception e) =>
        e is LibGit2Sharp.LibGit2SharpException or IOException or UnauthorizedAccessException or InvalidOperationException or PushRejectedException;
}
