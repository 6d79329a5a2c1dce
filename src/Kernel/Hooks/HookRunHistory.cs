namespace Tether.Kernel.Hooks;

/// <summary>The most recent hook runs (bounded), newest first, with when each ended: what the dashboard shows of hooks.</summary>
public sealed class HookRunHistory(TimeProvider? clock = null, int capacity = 100)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly LinkedList<FinishedHookRun> _runs = new();
    private readonly Lock _lock = new();

    public void Add(HookRunResult result)
    {
        lock (_lock)
        {
            _runs.AddFirst(new FinishedHookRun(_clock.GetUtcNow(), result));
            while (_runs.Count > capacity) _runs.RemoveLast();
        }
    }

    public IReadOnlyList<FinishedHookRun> Recent()
    {
        lock (_lock) return [.. _runs];
    }
}

/// <summary>One hook run and when it ended.</summary>
public sealed record FinishedHookRun(DateTimeOffset EndedAt, HookRunResult Result);
