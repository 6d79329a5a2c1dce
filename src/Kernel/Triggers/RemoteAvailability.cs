using Tether.Kernel.Remotes;

namespace Tether.Kernel.Triggers;

/// <summary>
/// Which remotes can be reached now and where, as triggers report it. A remote a trigger watches (a drive) starts
/// unavailable and is synced only once the trigger has seen it, at the location it reported (the drive's mount path
/// changes between plugs); while unavailable it has no worker, so nothing is retried and nothing fails. Remotes
/// nobody watches are always reachable at their configured url. Thread-safe.
/// </summary>
public sealed class RemoteAvailability
{
    public const string DefaultConnectReason = "reached";
    private const string NotSeenYet = "not seen yet (drive not mounted)";

    private readonly Lock _lock = new();
    private IReadOnlyList<Remote> _configured;
    private readonly HashSet<string> _watched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _locations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unavailable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _connectReasons = new(StringComparer.Ordinal);

    public RemoteAvailability(IReadOnlyList<Remote> configured) => _configured = configured;

    /// <summary>A config reload: the remotes as configured now (state is kept for names that remain).</summary>
    public void SetRemotes(IReadOnlyList<Remote> configured)
    {
        lock (_lock) _configured = configured;
    }

    /// <summary>These remotes are watched by a trigger: unavailable until it reports them (those already seen stay as they are).</summary>
    public void Watch(IEnumerable<string> names)
    {
        lock (_lock)
        {
            var fresh = names.ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _watched.Except(fresh).ToList())
            {
                _watched.Remove(gone);
                _unavailable.Remove(gone);
                _locations.Remove(gone);
            }
            foreach (var name in fresh.Where(_watched.Add)) _unavailable[name] = NotSeenYet;
        }
    }

    public bool IsKnown(string name)
    {
        lock (_lock) return _configured.Any(r => r.Name == name);
    }

    public bool IsWatched(string name)
    {
        lock (_lock) return _watched.Contains(name);
    }

    /// <summary>Why the remote cannot be reached now, or null when it can.</summary>
    public string? UnavailableReason(string name)
    {
        lock (_lock) return _unavailable.GetValueOrDefault(name);
    }

    /// <summary>Every configured remote, at its current location (the transfer queue knows them all, to park uploads).</summary>
    public IReadOnlyList<Remote> All()
    {
        lock (_lock) return _configured.Select(Located).ToList();
    }

    /// <summary>The remotes that get a worker: every configured remote but the unavailable ones, at their current location.</summary>
    public IReadOnlyList<Remote> Reachable()
    {
        lock (_lock) return _configured.Where(r => !_unavailable.ContainsKey(r.Name)).Select(Located).ToList();
    }

    /// <summary>What the remote-connected event says when the remote's worker first reaches it.</summary>
    public string ConnectReason(string name)
    {
        lock (_lock) return _connectReasons.GetValueOrDefault(name) ?? DefaultConnectReason;
    }

    /// <summary>Records that the remote is reachable (at <paramref name="location"/>, or its url); false when nothing changed.</summary>
    public bool MarkAvailable(string name, string? location, string reason)
    {
        lock (_lock)
        {
            var wasUnavailable = _unavailable.Remove(name);
            var moved = location is not null && _locations.GetValueOrDefault(name) != location;
            if (location is not null) _locations[name] = location;
            if (wasUnavailable || moved) _connectReasons[name] = reason;
            return wasUnavailable || moved;
        }
    }

    /// <summary>Records that the remote cannot be reached; false when it already could not.</summary>
    public bool MarkUnavailable(string name, string reason)
    {
        lock (_lock) return _unavailable.TryAdd(name, reason);
    }

    private Remote Located(Remote remote) =>
        _locations.TryGetValue(remote.Name, out var location) ? remote with { Url = location } : remote;
}
