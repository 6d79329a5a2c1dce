namespace Tether.Sdk.Triggers;

/// <summary>What a trigger may ask of the kernel. Thread-safe; calls return once the request is queued. Since contracts 1.2.</summary>
public interface ISyncRequester
{
    /// <summary>
    /// Sync the remote now (pull, merge, push, then move content), as <c>tether poke REMOTE</c> does; null for every
    /// remote. A remote that is unavailable (see <see cref="RemoteUnavailableAsync"/>) is skipped.
    /// </summary>
    /// <param name="reason">Why, for the log (e.g. "every 15m").</param>
    Task RequestSyncAsync(string? remote, string reason, CancellationToken ct);

    /// <summary>
    /// The remote can be reached, at <paramref name="location"/> (a path or URL; null: where the config says). The
    /// kernel points the remote there (git remote url and content backend), syncs git, moves content both ways,
    /// and raises <c>remote-connected</c> with <paramref name="reason"/> (e.g. "drive mounted at /media/me/USB").
    /// Reporting the same location again only asks for a sync.
    /// </summary>
    Task RemoteAvailableAsync(string remote, string? location, string reason, CancellationToken ct);

    /// <summary>
    /// The remote cannot be reached any more (its drive was unmounted): running transfers with it stop (recorded as
    /// failed, resumed when it is back), nothing is retried until it is available again, and <c>remote-disconnected</c>
    /// is raised.
    /// </summary>
    Task RemoteUnavailableAsync(string remote, string reason, CancellationToken ct);

    /// <summary>Writes to the daemon's log, under the trigger's name.</summary>
    void Log(TriggerLogLevel level, string message);
}
