using Tether.Kernel.Status;

namespace Tether.Kernel.Transfers;

/// <summary>
/// The requests waiting for a slot and the ones running, in memory: a request equal to one queued or running is
/// merged into it; the next one out is the cheapest remote's, then the smallest file's, except that requests moved to the
/// front ("do this first") go before all others, the latest moved first. Pausing stops requests
/// from leaving and interrupts the running ones: all of them, or only those of one transfer or one remote (held in
/// memory: a restart resumes them). Thread-safe; the slots take from it, the scheduler adds.
/// </summary>
public sealed class TransferQueue(Func<TransferRequest, int> costOf)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TransferRequest, (int Cost, long Size, long Sequence)> _order = new();
    private readonly Dictionary<(TransferDirection, Sdk.Keys.Key, string?), TransferRequest> _queued = [];
    private readonly Dictionary<string, RunningTransfer> _running = [];
    private readonly Dictionary<string, long> _interruptedAt = []; // bytes a paused transfer had moved: shown until it runs on
    private long _sequence;
    private int _frontCost;
    private bool _paused;
    private readonly HashSet<string> _pausedIds = [];
    private readonly HashSet<string> _pausedRemotes = new(StringComparer.Ordinal);

    /// <summary>Queues the request; false when an equal one is already queued or running.</summary>
    public bool Add(TransferRequest request)
    {
        lock (_lock)
        {
            if (_queued.ContainsKey(request.Identity) || _running.ContainsKey(request.Id)) return false;
            _queued[request.Identity] = request;
            _order.Enqueue(request, (costOf(request), request.Key.Size ?? long.MaxValue, _sequence++));
            return true;
        }
    }

    /// <summary>Takes the next request unless paused, and records it as running as <paramref name="start"/> makes it.</summary>
    public RunningTransfer? TryStart(Func<TransferRequest, RunningTransfer> start)
    {
        lock (_lock)
        {
            var held = new List<(TransferRequest, (int, long, long))>();
            try
            {
                while (!_paused && _order.TryDequeue(out var request, out var priority))
                {
                    // Cancelled, or superseded (moved to the front: a new entry); entries are told apart by reference, as an equal copy is not the same entry.
                    if (!_queued.TryGetValue(request.Identity, out var current) || !ReferenceEquals(current, request)) continue;
                    if (IsHeld(request))
                    {
                        held.Add((request, priority)); // paused on its own or with its remote: keeps its place
                        continue;
                    }
                    _queued.Remove(request.Identity);
                    var running = start(request);
                    _running[request.Id] = running;
                    return running;
                }
                return null;
            }
            finally
            {
                foreach (var (request, priority) in held) _order.Enqueue(request, priority);
            }
        }
    }

    public void Finished(RunningTransfer running)
    {
        lock (_lock)
        {
            _running.Remove(running.Request.Id);
            if (running.InterruptedFor == RunningTransfer.PauseReason && Math.Max(running.Bytes, _interruptedAt.GetValueOrDefault(running.Request.Id)) is > 0 and var done)
                _interruptedAt[running.Request.Id] = done;
            else _interruptedAt.Remove(running.Request.Id);
        }
    }

    public bool IsIdle
    {
        get { lock (_lock) return _queued.Count == 0 && _running.Count == 0; }
    }

    /// <summary>Interrupts the running transfers <paramref name="which"/> selects, telling them why.</summary>
    public void Interrupt(Func<RunningTransfer, bool> which, string why)
    {
        lock (_lock)
            foreach (var running in _running.Values.Where(which)) running.Interrupt(why);
    }

    public bool IsPaused
    {
        get { lock (_lock) return _paused; }
    }

    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
            foreach (var running in _running.Values) running.Interrupt(RunningTransfer.PauseReason);
        }
    }

    /// <summary>Resumes everything, the transfers and remotes paused one by one too.</summary>
    public void Resume()
    {
        lock (_lock)
        {
            _paused = false;
            _pausedIds.Clear();
            _pausedRemotes.Clear();
        }
    }

    /// <summary>Pauses one transfer (by id) or every transfer with a remote, running ones put back in the queue; returns how many it holds.</summary>
    public int PauseSome(string? id, string? remote)
    {
        lock (_lock)
        {
            if (id is not null) _pausedIds.Add(id);
            if (remote is not null) _pausedRemotes.Add(remote);
            foreach (var running in _running.Values.Where(r => IsHeld(r.Request))) running.Interrupt(RunningTransfer.PauseReason);
            return _queued.Values.Count(IsHeld) + _running.Values.Count(r => IsHeld(r.Request));
        }
    }

    /// <summary>Lifts the pause of one transfer or one remote; false when it was not paused.</summary>
    public bool ResumeSome(string? id, string? remote)
    {
        lock (_lock) return (id is not null && _pausedIds.Remove(id)) | (remote is not null && _pausedRemotes.Remove(remote));
    }

    /// <summary>Paused on its own or with its remote (not counting the pause of everything).</summary>
    private bool IsHeld(TransferRequest request) =>
        _pausedIds.Contains(request.Id) || (request.Remote is { } remote && _pausedRemotes.Contains(remote));

    /// <summary>The transfers and remotes paused one by one.</summary>
    public (IReadOnlyList<string> Ids, IReadOnlyList<string> Remotes) PausedSome()
    {
        lock (_lock) return ([.. _pausedIds.Order(StringComparer.Ordinal)], [.. _pausedRemotes.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Moves the queued requests that match to the front of the queue ("do this first"), ahead of every other one and of
    /// those moved before; returns how many. A running transfer is already first and is not counted.
    /// </summary>
    public int MoveToFront(Func<TransferRequest, bool> matches)
    {
        lock (_lock)
        {
            var moved = _queued.Values.Where(matches).OrderBy(r => costOf(r)).ThenBy(r => r.Key.Size ?? long.MaxValue).ToList();
            if (moved.Count == 0) return 0;
            int front = --_frontCost;
            foreach (var request in moved)
            {
                var copy = request with { }; // a new entry; the old one in _order is skipped when dequeued (it is no longer current)
                _queued[copy.Identity] = copy;
                _order.Enqueue(copy, (int.MinValue / 2 + front, request.Key.Size ?? long.MaxValue, _sequence++));
            }
            return moved.Count;
        }
    }

    /// <summary>Removes the queued requests and interrupts the running ones that match; returns them all.</summary>
    public List<TransferRequest> Cancel(Func<TransferRequest, bool> matches)
    {
        var cancelled = new List<TransferRequest>();
        lock (_lock)
        {
            foreach (var request in _queued.Values.Where(matches).ToList())
            {
                _queued.Remove(request.Identity); // its entry in _order is skipped when dequeued
                cancelled.Add(request);
            }
            foreach (var request in cancelled) _interruptedAt.Remove(request.Id);
            foreach (var running in _running.Values.Where(r => matches(r.Request)))
            {
                running.Interrupt(RunningTransfer.CancelReason);
                cancelled.Add(running.Request);
            }
        }
        return cancelled;
    }

    /// <summary>Running transfers first, then the queued ones in the order they will run.</summary>
    public IReadOnlyList<TransferStatus> Snapshot()
    {
        lock (_lock)
            return _running.Values.Select(r => StatusOf(r.Request, r.Remote, TransferStatus.RunningState,
                    r.Bytes > 0 ? r.Bytes : _interruptedAt.GetValueOrDefault(r.Request.Id), r.BytesPerSecond()))
                .Concat(_order.UnorderedItems
                    .Where(i => _queued.TryGetValue(i.Element.Identity, out var current) && ReferenceEquals(current, i.Element))
                    .OrderBy(i => i.Priority).Select(i => QueuedStatusOf(i.Element)))
                .ToList();
    }

    private TransferStatus QueuedStatusOf(TransferRequest r)
    {
        var done = _interruptedAt.GetValueOrDefault(r.Id);
        var state = _paused || IsHeld(r) ? TransferStatus.PausedState : done > 0 ? TransferStatus.ResumingState : TransferStatus.QueuedState;
        return StatusOf(r, r.Remote ?? "any", state, done, 0);
    }

    private static TransferStatus StatusOf(TransferRequest r, string remote, string state, long bytes, double rate) =>
        new(r.Id, r.Direction.ToString().ToLowerInvariant(), r.Key.ToString(), r.File, remote, state == TransferStatus.RunningState, bytes, r.Key.Size, rate,
            State: state, EtaSeconds: TransferRate.EtaSeconds(bytes, r.Key.Size, rate));
}
