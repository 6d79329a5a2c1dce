using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Events;
using Tether.Kernel.Network;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Sync;

namespace Tether.Kernel.Transfers;

/// <summary>
/// The transfer queue and its slots. Requests are merged when equal, persisted (see
/// <see cref="TransferQueueJournal"/>), and run in <c>slots</c> parallel workers, uploads and downloads alike,
/// cheapest remote first and then smallest file first, so many files become available fast.
/// An upload without a remote is expanded into one upload per configured remote (the flood pass).
/// When the queue runs dry, the location-log changes are committed and pushed.
/// </summary>
public sealed class TransferScheduler : ITransferQueue, IDisposable
{
    private readonly AnnexRepository _repo;
    private IReadOnlyList<Remote> _remotes;
    private readonly Func<IReadOnlyList<RemoteEndpoint>> _endpoints;
    private readonly Func<CancellationToken, Task> _locationsChanged;
    private readonly EventBus _events;
    private readonly TransferQueueJournal _journal;
    private readonly int _slots;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;

    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly PriorityQueue<TransferRequest, (int Cost, long Size, long Sequence)> _queue = new();
    private readonly Dictionary<(TransferDirection, Sdk.Keys.Key, string?), TransferRequest> _queued = [];
    private readonly Dictionary<string, RunningTransfer> _running = [];
    private readonly Dictionary<string, List<TransferRequest>> _waitingForRemote = [];
    private readonly ConfiguredRemoteUuids _remoteUuids;
    private readonly HashSet<(TransferDirection, Sdk.Keys.Key, string?)> _failedOnce = [];
    private readonly SemaphoreSlim _available = new(0);
    private long _sequence;
    private int _movedSinceCommit;
    private bool _paused;

    public TransferScheduler(AnnexRepository repo, IReadOnlyList<Remote> remotes, Func<IReadOnlyList<RemoteEndpoint>> endpoints,
        Func<CancellationToken, Task> locationsChanged, EventBus events, int slots, TimeProvider clock, ILogger log)
    {
        _repo = repo; _remotes = remotes; _endpoints = endpoints; _locationsChanged = locationsChanged;
        _events = events; _slots = Math.Max(1, slots); _clock = clock; _log = log;
        _remoteUuids = new ConfiguredRemoteUuids(repo);
        _journal = new TransferQueueJournal(Path.Combine(repo.StateDir, "transfer-queue.jsonl"), log);
        foreach (var request in _journal.Load()) Add(request, persist: false);
    }

    /// <summary>The strategy: which remotes an upload without a remote goes to (flood: all of them).</summary>
    public IUploadTargets UploadTargets { get; init; } = new FloodUploadTargets();

    public void Enqueue(TransferRequest request)
    {
        if (request is { Direction: TransferDirection.Upload, Remote: null })
        {
            foreach (var remote in UploadTargets.Choose(request.Key, request.File, UploadCandidates(request.File))) Add(request with { Remote = remote }, persist: true);
            return;
        }
        Add(request, persist: true);
    }

    private void Add(TransferRequest request, bool persist)
    {
        lock (_lock)
        {
            if (_queued.ContainsKey(request.Identity) || _running.ContainsKey(request.Id)) return;
            _queued[request.Identity] = request;
            _queue.Enqueue(request, (CostOf(request), request.Key.Size ?? long.MaxValue, _sequence++));
        }
        if (persist) _journal.Added(request);
        _available.Release();
    }

    private int CostOf(TransferRequest request) => request.Remote is null
        ? _remotes.Select(r => r.Cost).DefaultIfEmpty(int.MaxValue).Min()
        : _remotes.FirstOrDefault(r => r.Name == request.Remote)?.Cost ?? int.MaxValue;

    public IReadOnlyList<TransferStatus> Snapshot()
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
            return _running.Values.Select(r => StatusOf(r.Request, r.Remote, true, r.Bytes, r.BytesPerSecond(now)))
                .Concat(_queue.UnorderedItems
                    .Where(i => _queued.TryGetValue(i.Element.Identity, out var current) && current == i.Element)
                    .OrderBy(i => i.Priority).Select(i => StatusOf(i.Element, i.Element.Remote ?? "any", false, 0, 0)))
                .ToList();
    }

    private static TransferStatus StatusOf(TransferRequest r, string remote, bool running, long bytes, double rate) =>
        new(r.Id, r.Direction.ToString().ToLowerInvariant(), r.Key.ToString(), r.File, remote, running, bytes, r.Key.Size, rate);

    /// <summary>A config reload changed the remotes (costs, new ones for the flood).</summary>
    public void SetRemotes(IReadOnlyList<Remote> remotes)
    {
        lock (_lock) _remotes = remotes;
    }

    /// <summary>The remote is reachable again: the uploads that waited for it go back in the queue.</summary>
    public void RemoteConnected(string remote)
    {
        List<TransferRequest>? waiting;
        lock (_lock)
        {
            _waitingForRemote.Remove(remote, out waiting);
            foreach (var request in waiting ?? []) _failedOnce.Remove(request.Identity);
        }
        foreach (var request in waiting ?? []) Add(request, persist: false);
    }

    /// <summary>
    /// The remote went away (its drive was unmounted): its running transfers stop now. An upload is recorded as failed
    /// and parked until the remote is back (its partial data stays in the remote's annex/tmp, to resume); a download's
    /// partial stays in our annex/tmp, resumed when the content is wanted again.
    /// </summary>
    public void RemoteUnavailable(string remote, string reason)
    {
        lock (_lock)
            foreach (var running in _running.Values.Where(r => r.Remote == remote || r.Request.Remote == remote))
                running.Interrupt(UnavailableInterrupt + reason);
    }

    private const string UnavailableInterrupt = "unavailable: ";

    /// <summary>Stops starting transfers and puts the running ones back in the queue (their partial data kept to resume).</summary>
    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
            foreach (var running in _running.Values) running.Interrupt("pause");
        }
    }

    public void Resume()
    {
        lock (_lock) _paused = false;
        _available.Release(_slots);
    }

    /// <summary>Cancels queued or running transfers by id or remote; returns how many.</summary>
    public int Cancel(string? id, string? remote)
    {
        var cancelled = new List<TransferRequest>();
        lock (_lock)
        {
            foreach (var request in _queued.Values.Where(r => Matches(r, id, remote)).ToList())
            {
                _queued.Remove(request.Identity); // its heap entry is skipped when dequeued
                cancelled.Add(request);
            }
            foreach (var running in _running.Values.Where(r => Matches(r.Request, id, remote)))
            {
                running.Interrupt("cancel");
                cancelled.Add(running.Request);
            }
        }
        foreach (var request in cancelled) _journal.Removed(request);
        return cancelled.Count;
    }

    private static bool Matches(TransferRequest r, string? id, string? remote) =>
        (id is null || r.Id == id) && (remote is null || r.Remote == remote);

    public async Task RunAsync(CancellationToken ct)
    {
        var workers = Enumerable.Range(0, _slots).Select(_ => Task.Run(() => SlotAsync(ct), CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
    }

    /// <summary>One slot: runs transfers while there are any, then waits to be woken (the semaphore is only a doorbell).</summary>
    private async Task SlotAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (TryTakeNext(ct) is { } running)
            {
                using (running) await RunOneAsync(running, ct);
                continue;
            }
            await CommitIfIdleAsync(ct);
            try { await _available.WaitAsync(ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private RunningTransfer? TryTakeNext(CancellationToken ct)
    {
        lock (_lock)
        {
            while (!_paused && _queue.TryDequeue(out var request, out _))
            {
                if (!_queued.Remove(request.Identity, out var current) || current != request) continue; // cancelled or superseded
                var running = new RunningTransfer(request, request.Remote ?? "any", _clock, r => Publish(r.Request, r.Remote, "started", 0, null), ct);
                _running[request.Id] = running;
                return running;
            }
        }
        return null;
    }

    private async Task RunOneAsync(RunningTransfer running, CancellationToken ct)
    {
        var request = running.Request;
        var endpoints = _endpoints().Where(e => e.Content is not null && e.Uuid is not null && (request.Remote is null || e.Name == request.Remote))
            .OrderBy(e => e.Remote.Cost).ToList();
        var outcome = "failed";
        string? error = null;
        try
        {
            using var branch = new GitAnnexBranch(_repo, _clock);
            var transfers = new ContentTransfers(_repo, branch, _repo.RequireUuid(), _log);
            var moved = request.Direction == TransferDirection.Upload
                ? endpoints.Count > 0 && await transfers.UploadAsync(request.Key, endpoints[0], running.Token, running, request.File)
                : await transfers.DownloadAsync(request.Key, endpoints, running.Token, running, request.File);
            outcome = moved || IsDone(request) ? "finished" : transfers.Busy > 0 ? "busy" : "failed";
            if (outcome == "failed")
                error = endpoints.Count == 0 ? $"remote {request.Remote ?? "(any)"} is not reachable now" : "no reachable remote has the content";
            if (moved) Interlocked.Increment(ref _movedSinceCommit);
        }
        catch (Exception e) when (running.InterruptedFor is { } why && why.StartsWith(UnavailableInterrupt, StringComparison.Ordinal) && !ct.IsCancellationRequested
            && e is OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            outcome = "failed";
            error = $"{running.Remote} became unavailable ({why[UnavailableInterrupt.Length..]})";
            _log.LogWarning("{Direction} of {File} via {Remote} stopped: {Error}; resumed when it is back", request.Direction, request.File, running.Remote, error);
        }
        catch (OperationCanceledException) when (running.InterruptedFor is not null && !ct.IsCancellationRequested)
        {
            outcome = running.InterruptedFor == "pause" ? "paused" : "cancelled";
        }
        catch (OperationCanceledException) { outcome = "stopped"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error = e.Message;
            _log.LogWarning("{Direction} of {File} via {Remote} failed: {Error}", request.Direction, request.File, running.Remote, e.Message);
        }
        finally
        {
            lock (_lock) _running.Remove(request.Id);
        }
        Finish(request, running, outcome, error);
    }

    private void Finish(TransferRequest request, RunningTransfer running, string outcome, string? error)
    {
        if (outcome == "failed" && request is { Direction: TransferDirection.Upload, Remote: { } remote })
        {
            WaitForRemote(request, remote);
            return; // stays in the journal; RemoteConnected (or a restart) brings it back
        }
        switch (outcome)
        {
            case "busy": // another process runs it (or the reverse transfer) right now: look again shortly
                _ = Task.Delay(BusyRetryDelay, _clock, CancellationToken.None).ContinueWith(_ => Add(request, persist: false), TaskScheduler.Default);
                return;
            case "paused" or "stopped":
                if (outcome == "paused") Add(request, persist: false); // still in the journal: resumes after a restart too
                return;
            case "cancelled":
                DeletePartialDownload(request);
                break;
        }
        _journal.Removed(request);
        if (running.Started || outcome == "failed") Publish(request, running.Remote, outcome, running.Bytes, error);
    }

    /// <summary>A cancelled download leaves nothing behind (a partial download is only ever in annex/tmp, never in the store).</summary>
    private void DeletePartialDownload(TransferRequest request)
    {
        if (request.Direction != TransferDirection.Download) return;
        var tmp = new Annex.ObjectStore(_repo).TmpPathFor(request.Key);
        if (File.Exists(tmp)) File.Delete(tmp);
    }

    /// <summary>
    /// Parks a failed upload until its remote is (re)connected. Checked under the lock that
    /// <see cref="RemoteConnected"/> takes, so a remote that connects meanwhile cannot be missed.
    /// </summary>
    private void WaitForRemote(TransferRequest request, string remote)
    {
        var retryNow = false;
        lock (_lock)
        {
            if (!_failedOnce.Add(request.Identity) && IsReachable(remote))
                (_waitingForRemote.TryGetValue(remote, out var list) ? list : _waitingForRemote[remote] = []).Add(request);
            else if (IsReachable(remote)) retryNow = true; // the remote connected while we tried: try once more
            else (_waitingForRemote.TryGetValue(remote, out var list) ? list : _waitingForRemote[remote] = []).Add(request);
        }
        if (retryNow) Add(request, persist: false);
        else FallBackFrom(request, remote);
    }

    /// <summary>Remotes as the strategy sees them: a remote is unreachable once an upload to it failed and waits for it.</summary>
    private List<UploadCandidate> UploadCandidates(string file)
    {
        var endpoints = _endpoints();
        var remotes = _remotes;
        var uuids = remotes.Select(r => endpoints.FirstOrDefault(e => e.Name == r.Name)?.Uuid ?? _remoteUuids.Get(r.Name)).ToList();
        lock (_lock)
            return remotes.Select((r, i) => UploadCandidate.Of(r, uuids[i], !_waitingForRemote.ContainsKey(r.Name), file)).ToList();
    }

    /// <summary>An upload the strategy chose failed: the key goes to whatever the strategy now picks among reachable remotes.</summary>
    private void FallBackFrom(TransferRequest request, string failed)
    {
        if (UploadTargets is FloodUploadTargets) return;
        var candidates = UploadCandidates(request.File);
        foreach (var remote in UploadTargets.Choose(request.Key, request.File, candidates).Where(r => r != failed && candidates.Any(c => c.Name == r && c.Reachable)))
            Add(request with { Remote = remote }, persist: true);
    }

    private bool IsReachable(string remote) => _endpoints().Any(e => e.Name == remote && e.Content is not null);

    private bool IsDone(TransferRequest request) =>
        request.Direction == TransferDirection.Download && new Annex.ObjectStore(_repo).Contains(request.Key);

    private void Publish(TransferRequest request, string remote, string phase, long bytes, string? error) =>
        _events.Publish(new TransferEvent(_clock.GetUtcNow(), request.Direction.ToString().ToLowerInvariant(), phase,
            request.Key.ToString(), request.File, remote, bytes, error));

    private async Task CommitIfIdleAsync(CancellationToken ct)
    {
        lock (_lock)
            if (_queued.Count > 0 || _running.Count > 0) return;
        if (Interlocked.Exchange(ref _movedSinceCommit, 0) == 0) return;
        using (var branch = new GitAnnexBranch(_repo, _clock)) await branch.CommitAsync("update", CancellationToken.None);
        await _locationsChanged(ct);
    }

    public void Dispose()
    {
        UploadTargets.Dispose();
        _journal.Dispose();
        _available.Dispose();
    }
}
