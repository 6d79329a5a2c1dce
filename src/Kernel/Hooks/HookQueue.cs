using Tether.Kernel.Events;

namespace Tether.Kernel.Hooks;

/// <summary>
/// The events waiting for one hook, in order, at most one per coalescing key (see <see cref="HookEventCoalescer"/>),
/// so the queue is bounded by the number of event kinds and remotes however many events arrive. One run of a
/// hook at a time: the owner takes the next event only when the previous run ended.
/// </summary>
internal sealed class HookQueue
{
    private readonly List<(string Key, SyncEvent Event, int Coalesced)> _pending = [];
    private readonly Lock _lock = new();
    private bool _running;

    /// <summary>Adds the event; returns how many events the waiting entry now stands for beyond the first (0: queued as new).</summary>
    public int Add(SyncEvent e)
    {
        var key = HookEventCoalescer.KeyOf(e);
        lock (_lock)
        {
            int index = _pending.FindIndex(p => p.Key == key);
            if (index < 0)
            {
                _pending.Add((key, e, 0));
                return 0;
            }
            var waiting = _pending[index];
            _pending[index] = (key, HookEventCoalescer.Merge(waiting.Event, e), waiting.Coalesced + 1);
            return waiting.Coalesced + 1;
        }
    }

    /// <summary>Claims the right to run if nobody holds it and something waits.</summary>
    public bool TryStartRunning()
    {
        lock (_lock)
        {
            if (_running || _pending.Count == 0) return false;
            _running = true;
            return true;
        }
    }

    /// <summary>The next event for the running owner; null (and the right released) when none is left.</summary>
    public (SyncEvent Event, int Coalesced)? TakeNext()
    {
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                _running = false;
                return null;
            }
            var next = _pending[0];
            _pending.RemoveAt(0);
            return (next.Event, next.Coalesced);
        }
    }
}
