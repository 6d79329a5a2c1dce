using Microsoft.Extensions.Logging;
using Tether.Kernel.Git;

namespace Tether.Kernel.Committing;

/// <summary>
/// Paths the committer could not take (a folder nested deeper than libgit2 walks, an entry git cannot stage): each is
/// left out of commits while everything else goes on, said once in the log, and tried again after a back-off that
/// doubles from <see cref="FirstRetry"/> up to <see cref="LongestRetry"/>. Without this one such path failed every
/// commit, retried many times a second (issue 13).
/// </summary>
public sealed class SetAsidePaths(TimeProvider clock, ILogger log)
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);

    private sealed record Entry(string Reason, int Failures, DateTimeOffset RetryAt);

    private readonly Dictionary<string, Entry> _paths = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Sets the path aside (again); returns how long until it is tried again.</summary>
    public TimeSpan SetAside(string path, string reason)
    {
        lock (_lock)
        {
            var failures = _paths.TryGetValue(path, out var known) ? known.Failures + 1 : 1;
            var delay = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(failures - 1, 20)));
            _paths[path] = new Entry(reason, failures, clock.GetUtcNow() + delay);
            if (failures == 1) log.LogWarning("Set aside {Path}, which cannot be committed ({Reason}); everything else is committed, it is tried again later", path, reason);
            else log.LogDebug("{Path} still cannot be committed ({Reason}); next try in {Delay}", path, reason, delay);
            return delay;
        }
    }

    /// <summary>True while the path, or a folder above it, is set aside and not yet due for another try.</summary>
    public bool Covers(string path)
    {
        lock (_lock) return Active().Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
    }

    /// <summary>The paths set aside and not due yet.</summary>
    public IReadOnlyList<string> Current()
    {
        lock (_lock) return Active().ToList();
    }

    /// <summary>After a commit pass: paths that were due, in its scope, and did not fail again went in (or are gone).</summary>
    public void ClearDue(Func<string, bool> inScope)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            foreach (var path in _paths.Where(p => p.Value.RetryAt <= now && inScope(p.Key)).Select(p => p.Key).ToList()) _paths.Remove(path);
        }
    }

    /// <summary>One line for status warnings, or null when nothing is set aside.</summary>
    public string? Summary()
    {
        lock (_lock)
            return _paths.Count == 0 ? null
                : $"{_paths.Count} path(s) cannot be committed and are set aside: " + string.Join("; ", _paths.Take(5).Select(p => $"{p.Key} ({p.Value.Reason})"));
    }

    private IEnumerable<string> Active()
    {
        var now = clock.GetUtcNow();
        return _paths.Where(p => p.Value.RetryAt > now).Select(p => p.Key);
    }
}
