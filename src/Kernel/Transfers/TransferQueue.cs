using Tether.Kernel.Status;

namespace Tether.Kernel.Transfers;

/// <summary>
/// The requests waiting for a slot and the ones running, in memory: a request equal to one queued or running is
/// merged into it; the next one out is the cheapest remote's, then the smallest file's. Pausing stops requests
/// from leaving and interrupts the running ones. Thread-safe; the slots take from it, the scheduler adds.
/// </summary>
public sealed class TransferQueue(Func<TransferRequest, int> costOf)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TransferRequest, (int Cost, long Size, long Sequence)> _order = new();
    private readonly Dictionary<(TransferDirection, Sdk.Keys.Key, string?), TransferRequest> _queued = [];
    private readonly Dictionary<string, RunningTransfer> _running = [];
    private long _sequence;
    private bool _paused;

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
            while (!_paused && _order.TryDequeue(out var request, out _))
            {
                if (!_queued.Remove(request.Identity, out var current) || current != request) continue; // cancelled or superseded
                var running = start(request);
                _running[request.Id] = running;
                return running;
            }
            return null;
        }
    }

    public void Finished(RunningTransfer running)
    {
        lock (_lock) _running.Remove(running.Request.Id);
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

    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
            foreach (var running in _running.Values) running.Interrupt(RunningTransfer.PauseReason);
        }
    }

    public void Resume()
    {
        lock (_lock) _paused = false;
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
            foreach (var running in _running.Values.Where(r => matches(r.Request)))
            {
                running.Interrupt(RunningTransfer.CancelReason);
                cancelled.Add(running.Request);
            }
        }
        return cancelled;
    }

    /// <summary>Running transfers first, then the queued ones in the order they will run.</summary>
    public IReadOnlyList<TransferStatus> Snapshot(DateTimeOffset now)
    {
        lock (_lock)
            return _running.Values.Select(r => StatusOf(r.Request, r.Remote, true, r.Bytes, r.BytesPerSecond(now)))
                .Concat(_order.UnorderedItems
                    .Where(i => _queued.TryGetValue(i.Element.Identity, out var current) && current == i.Element)
                    .OrderBy(i => i.Priority).Select(i => StatusOf(i.Element, i.Element.Remote ?? "any", false, 0, 0)))
                .ToList();
    }

    private static TransferStatus StatusOf(TransferRequest r, string remote, bool running, long bytes, double rate) =>
        new(r.Id, r.Direction.ToString().ToLowerInvariant(), r.Key.ToString(), r.File, remote, running, bytes, r.Key.Size, rate);
}
