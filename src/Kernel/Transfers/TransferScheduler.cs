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
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(TransferDirection, Sdk.Keys.Key, string?), (TransferRequest Request, TransferProblem Problem)> _problems = new();
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

    public IReadOnlyList<TransferStatus> Snapshot() => _queue.Snapshot();

    /// <summary>A config reload changed the remotes (costs, new ones for the flood).</summary>
    public void SetRemotes(IReadOnlyList<Remote> remotes) => _router.Remotes = remotes;

    /// <summary>The remote is reachable again: the uploads that waited for it go back in the queue.</summary>
    public void RemoteConnected(string remote)
    {
        foreach (var request in _parked.Release(remote)) Add(request, persist: false);
    }

    /// <summary>Transfers that failed or were cancelled and have not succeeded since, oldest first.</summary>
    public IReadOnlyList<TransferProblem> Problems() => _problems.Values.Select(p => p.Problem).OrderBy(p => p.At).ToList();

    /// <summary>
    /// `tether poke [REMOTE]`: the failed and cancelled transfers (of that remote) and the uploads waiting for it go back
    /// in the queue now, as if it had just connected.
    /// </summary>
    public void RetryFailed(string? remote)
    {
        foreach (var name in remote is null ? _router.Remotes.Select(r => r.Name) : [remote]) RemoteConnected(name);
        foreach (var (identity, (request, problem)) in _problems)
            if (remote is null || problem.Remote == remote || request.Remote == remote) Add(request, persist: true);
    }

    private void Record(TransferRequest request, string remote, TransferOutcome outcome, string? error, string next) =>
        _problems[request.Identity] = (request, new TransferProblem(request.Direction.ToString().ToLowerInvariant(), request.File, remote,
            outcome.ToString().ToLowerInvariant(), error ?? (outcome == TransferOutcome.Cancelled ? "cancelled by 'tether transfers cancel'" : "unknown"), next, _clock.GetUtcNow()));

    private static string NextAfterFailure(string remote, string? error) =>
        error is not null && error.Contains("no space left", StringComparison.Ordinal)
            ? $"needs you: free space on {remote}, then 'tether poke {remote}' retries it"
            : $"retried when {remote} is reached again after being away, at the next start, or now with 'tether poke {remote}'";

    /// <summary>
    /// The remote went away (its drive was unmounted): its running transfers stop now. An upload is recorded as failed
    /// and parked until the remote is back (its partial data stays in the remote's annex/tmp, to resume); a download's
    /// partial stays in our annex/tmp, resumed when the content is wanted again.
    /// </summary>
    public void RemoteUnavailable(string remote, string reason) =>
        _queue.Interrupt(r => r.Remote == remote || r.Request.Remote == remote, Transferrer.UnavailableReason(reason));

    /// <summary>Stops starting transfers and puts the running ones back in the queue (their partial data kept to resume).</summary>
    public void Pause() => _queue.Pause();

    public bool IsPaused => _queue.IsPaused;

    /// <summary>Pauses one transfer (by id) or every transfer with a remote; returns how many it holds now.</summary>
    public int PauseSome(string? id, string? remote) => _queue.PauseSome(id, remote);

    /// <summary>Lifts the pause of one transfer or remote; false when it was not paused.</summary>
    public bool ResumeSome(string? id, string? remote)
    {
        if (!_queue.ResumeSome(id, remote)) return false;
        _work.Ring(_slots);
        return true;
    }

    public void Resume()
    {
        _queue.Resume();
        _work.Ring(_slots);
    }

    /// <summary>Cancels queued or running transfers by id or remote; returns how many.</summary>
    public int Cancel(string? id, string? remote)
    {
        var cancelled = _queue.Cancel(r => (id is null || r.Id == id) && (remote is null || r.Remote == remote));
        foreach (var request in cancelled)
        {
            _journal.Removed(request);
            RecordCancelled(request, request.Remote ?? "any"); // a running one settles as cancelled too, with the same record
        }
        return cancelled.Count;
    }

    private void RecordCancelled(TransferRequest request, string remote) =>
        Record(request, remote, TransferOutcome.Cancelled, null,
            $"not retried by itself: '{(remote == "any" ? "tether poke" : $"tether poke {remote}")}' retries it, as does the next start");

    /// <summary>"Do this first": moves queued transfers, by id or remote, ahead of all others; returns how many.</summary>
    public int MoveToFront(string? id, string? remote) =>
        _queue.MoveToFront(r => (id is null || r.Id == id) && (remote is null || r.Remote == remote));

    public Task RunAsync(CancellationToken ct) => _transferrer.RunAsync(_slots, ct);

    void ITransferSettlement.Moved() => Interlocked.Increment(ref _movedSinceCommit);

    void ITransferSettlement.Settle(SettledTransfer settled)
    {
        var request = settled.Request;
        RecordProblem(settled); // before the queue lets an equal request run (and succeed, which clears it) in another slot
        _queue.Finished(settled.Transfer);
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

    private void RecordProblem(SettledTransfer settled)
    {
        var request = settled.Request;
        switch (settled.Outcome)
        {
            case TransferOutcome.Finished:
                _problems.TryRemove(request.Identity, out _);
                break;
            case TransferOutcome.Failed when request is { Direction: TransferDirection.Upload, Remote: { } remote }:
                Record(request, remote, TransferOutcome.Failed, settled.Error, NextAfterFailure(remote, settled.Error));
                break;
            case TransferOutcome.Failed:
                Record(request, settled.Transfer.Remote, TransferOutcome.Failed, settled.Error,
                    $"retried when a remote that has it is reached again, at the next start, or now with 'tether poke' (or 'tether get {request.File}')");
                break;
            case TransferOutcome.Cancelled:
                RecordCancelled(request, settled.Transfer.Remote);
                break;
        }
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
