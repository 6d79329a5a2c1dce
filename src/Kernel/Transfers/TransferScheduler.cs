using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Coordination;
using Tether.Kernel.Events;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Threads;
using Tether.Kernel.UploadStrategies;

namespace Tether.Kernel.Transfers;

/// <summary>
/// The transfer queue's front door: requests come in (an upload without a remote is routed by the strategy,
/// <see cref="UploadRouter"/>), are journalled (<see cref="TransferQueueJournal"/>), wait in the
/// <see cref="TransferQueue"/> and run in the <see cref="Transferrer"/>'s slots. This class settles each outcome:
/// a failed upload is parked until its remote is back (<see cref="ParkedUploads"/>) and rerouted; a busy one is
/// looked at again shortly; a cancelled download leaves nothing. When the queue runs dry after content moved, the
/// location logs are committed and <c>locationsChanged</c> is told (the daemon pushes them).
/// </summary>
public sealed class TransferScheduler : ITransferQueue, ITransferSettlement, IDisposable
{
    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromSeconds(5);

    private readonly AnnexRepository _repo;
    private readonly Func<CancellationToken, Task> _locationsChanged;
    private readonly TransferQueueJournal _journal;
    private readonly TransferQueue _queue;
    private readonly ParkedUploads _parked = new();
    private readonly UploadRouter _router;
    private readonly Doorbell _work;
    private readonly Transferrer _transferrer;
    private readonly int _slots;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _disposed = new();
    private int _movedSinceCommit;

    public TransferScheduler(AnnexRepository repo, IReadOnlyList<Remote> remotes, Func<IReadOnlyList<RemoteEndpoint>> endpoints,
        Func<CancellationToken, Task> locationsChanged, EventBus events, int slots, TimeProvider clock, ILogger log)
    {
        _repo = repo; _locationsChanged = locationsChanged; _slots = Math.Max(1, slots); _clock = clock; _log = log;
        _router = new UploadRouter(repo, endpoints, _parked) { Remotes = remotes };
        _queue = new TransferQueue(_router.CostOf);
        _work = new Doorbell(_slots);
        _transferrer = new Transferrer(repo, _queue, _work, endpoints, this, events, clock, log);
        _journal = new TransferQueueJournal(Path.Combine(repo.StateDir, "transfer-queue.jsonl"), log);
        foreach (var request in _journal.Load()) Add(request, persist: false);
    }

    /// <summary>The strategy: which remotes an upload without a remote goes to (flood: all of them).</summary>
    public IUploadTargets UploadTargets
    {
        get => _router.Targets;
        init => _router.Targets = value;
    }

    public void Enqueue(TransferRequest request)
    {
        if (request is { Direction: TransferDirection.Upload, Remote: null })
            foreach (var routed in _router.Route(request)) Add(routed, persist: true);
        else Add(request, persist: true);
    }

    private void Add(TransferRequest request, bool persist)
    {
        if (!_queue.Add(request)) return;
        if (persist) _journal.Added(request);
        _work.Ring();
    }

    public IReadOnlyList<TransferStatus> Snapshot() => _queue.Snapshot(_clock.GetUtcNow());

    /// <summary>A config reload changed the remotes (costs, new ones for the flood).</summary>
    public void SetRemotes(IReadOnlyList<Remote> remotes) => _router.Remotes = remotes;

    /// <summary>The remote is reachable again: the uploads that waited for it go back in the queue.</summary>
    public void RemoteConnected(string remote)
    {
        foreach (var request in _parked.Release(remote)) Add(request, persist: false);
    }

    /// <summary>
    /// The remote went away (its drive was unmounted): its running transfers stop now. An upload is recorded as failed
    /// and parked until the remote is back (its partial data stays in the remote's annex/tmp, to resume); a download's
    /// partial stays in our annex/tmp, resumed when the content is wanted again.
    /// </summary>
    public void RemoteUnavailable(string remote, string reason) =>
        _queue.Interrupt(r => r.Remote == remote || r.Request.Remote == remote, Transferrer.UnavailableReason(reason));

    /// <summary>Stops starting transfers and puts the running ones back in the queue (their partial data kept to resume).</summary>
    public void Pause() => _queue.Pause();

    public void Resume()
    {
        _queue.Resume();
        _work.Ring(_slots);
    }

    /// <summary>Cancels queued or running transfers by id or remote; returns how many.</summary>
    public int Cancel(string? id, string? remote)
    {
        var cancelled = _queue.Cancel(r => (id is null || r.Id == id) && (remote is null || r.Remote == remote));
        foreach (var request in cancelled) _journal.Removed(request);
        return cancelled.Count;
    }

    public Task RunAsync(CancellationToken ct) => _transferrer.RunAsync(_slots, ct);

    void ITransferSettlement.Moved() => Interlocked.Increment(ref _movedSinceCommit);

    void ITransferSettlement.Settle(SettledTransfer settled)
    {
        _queue.Finished(settled.Transfer);
        var request = settled.Request;
        switch (settled.Outcome)
        {
            case TransferOutcome.Failed when request is { Direction: TransferDirection.Upload, Remote: { } remote }:
                ParkOrRetry(request, remote);
                return; // stays in the journal; RemoteConnected (or a restart) brings it back
            case TransferOutcome.Busy: // another process runs it (or the reverse transfer) right now
                RetryWhenNotBusyAsync(request).Forget(_log, $"Requeueing the busy {request.Direction} of {request.File}");
                return;
            case TransferOutcome.Paused:
                Add(request, persist: false); // still in the journal: resumes after a restart too
                return;
            case TransferOutcome.Stopped:
                return;
            case TransferOutcome.Cancelled:
                DeletePartialDownload(request);
                break;
        }
        _journal.Removed(request);
        if (settled.Transfer.Started || settled.Outcome == TransferOutcome.Failed)
            _transferrer.Publish(settled.Transfer, settled.Outcome.ToString().ToLowerInvariant(), settled.Error);
    }

    private void ParkOrRetry(TransferRequest request, string remote)
    {
        if (_parked.ParkOrRetry(request, remote, _router.IsReachable(remote))) Add(request, persist: false);
        else foreach (var instead in _router.Reroute(request, remote)) Add(instead, persist: true);
    }

    private async Task RetryWhenNotBusyAsync(TransferRequest request)
    {
        try
        {
            await Task.Delay(BusyRetryDelay, _clock, _disposed.Token);
            Add(request, persist: false);
        }
        catch (OperationCanceledException) { } // the scheduler is gone; the request is still in the journal
    }

    /// <summary>A cancelled download leaves nothing behind (a partial download is only ever in annex/tmp, never in the store).</summary>
    private void DeletePartialDownload(TransferRequest request)
    {
        if (request.Direction != TransferDirection.Download) return;
        var tmp = new Annex.ObjectStore(_repo).TmpPathFor(request.Key);
        if (File.Exists(tmp)) File.Delete(tmp);
    }

    async Task ITransferSettlement.IdleAsync(CancellationToken ct)
    {
        if (!_queue.IsIdle || Interlocked.Exchange(ref _movedSinceCommit, 0) == 0) return;
        using (var branch = new GitAnnexBranch(_repo, _clock)) await branch.CommitAsync("update", CancellationToken.None);
        await _locationsChanged(ct);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _router.Dispose();
        _journal.Dispose();
        _disposed.Dispose();
    }
}
