using Tether.Kernel.Watching;

namespace Tether.Kernel.Committing;

/// <summary>
/// The changes seen but not yet committed, and when they become ready: a path is ready once the tree has
/// been quiet for the quiet period; a file still open for writing waits until it is closed, or has been
/// quiet for <see cref="CommitTiming.OpenFileSettle"/> (a writer that keeps a file open, like a log).
/// </summary>
public sealed class PendingChanges(CommitTiming timing)
{
    private readonly Dictionary<string, PathState> _paths = new(StringComparer.Ordinal);
    private DateTimeOffset? _firstAt;
    private DateTimeOffset _lastAt;
    private bool _rescanAll;

    private readonly record struct PathState(DateTimeOffset LastEventAt, bool Open, DateTimeOffset? RetryAt);

    public bool IsEmpty => _paths.Count == 0 && !_rescanAll;

    public int Count => _paths.Count;

    public void Add(WorkTreeChange change, DateTimeOffset now)
    {
        _firstAt ??= now;
        _lastAt = now;
        if (change.Kind == WorkTreeChangeKind.RescanAll) { _rescanAll = true; return; }
        _paths[change.RelativePath] = new PathState(now, change.Kind == WorkTreeChangeKind.Writing, null);
    }

    /// <summary>A path the commit could not take yet (its file was changing while hashed): try again later.</summary>
    public void Defer(string path, DateTimeOffset now)
    {
        _firstAt ??= now;
        _paths[path] = new PathState(now, false, now + timing.DeferredRetry);
    }

    /// <summary>How long to wait before <see cref="TakeReady"/> has something; zero when ready now, null when nothing is pending.</summary>
    public TimeSpan? TimeUntilReady(DateTimeOffset now)
    {
        if (IsEmpty) return null;
        var batchAge = now - (_firstAt ?? now);
        var quietFor = now - _lastAt;
        var batchDue = quietFor >= timing.QuietPeriod || batchAge >= timing.MaxBatchDelay || _paths.Count >= timing.MaxBatch;
        if (batchDue && (_rescanAll || _paths.Values.Any(p => IsReady(p, now)))) return TimeSpan.Zero;
        var waits = new List<TimeSpan>();
        if (!batchDue) waits.Add(Min(timing.QuietPeriod - quietFor, timing.MaxBatchDelay - batchAge));
        foreach (var p in _paths.Values)
            waits.Add(p.RetryAt is { } retry ? retry - now : p.Open ? p.LastEventAt + timing.OpenFileSettle - now : TimeSpan.Zero);
        var wait = waits.Where(w => w > TimeSpan.Zero).DefaultIfEmpty(TimeSpan.FromMilliseconds(1)).Min();
        return wait;
    }

    /// <summary>
    /// Takes the ready paths for one commit. Returns null paths to mean "scan everything" (after lost
    /// events, or when the batch is so large that one tree scan is cheaper than a path list); such a scan
    /// must leave out <c>StillOpen</c>, the files still being written, which stay pending.
    /// </summary>
    public (bool Any, IReadOnlyCollection<string>? Paths, IReadOnlySet<string> StillOpen) TakeReady(DateTimeOffset now)
    {
        if (_rescanAll || _paths.Count > timing.FullScanAbove)
        {
            _rescanAll = false;
            var open = _paths.Where(p => p.Value.Open && !IsReady(p.Value, now)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var path in _paths.Keys.Where(p => !open.Contains(p)).ToList()) _paths.Remove(path);
            ResetBatchClock(now);
            return (true, null, open);
        }
        var ready = _paths.Where(p => IsReady(p.Value, now)).Select(p => p.Key).Take(timing.MaxBatch).ToList();
        foreach (var path in ready) _paths.Remove(path);
        ResetBatchClock(now);
        return (ready.Count > 0, ready, new HashSet<string>());
    }

    private void ResetBatchClock(DateTimeOffset now) => _firstAt = _paths.Count > 0 ? now : null;

    private bool IsReady(PathState p, DateTimeOffset now) =>
        p.RetryAt is { } retry ? now >= retry : !p.Open || now - p.LastEventAt >= timing.OpenFileSettle;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
