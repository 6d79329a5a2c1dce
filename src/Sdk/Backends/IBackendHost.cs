using Tether.Sdk.Keys;

namespace Tether.Sdk.Backends;

/// <summary>
/// The kernel's services to a backend (given in <see cref="RemoteDescriptor.Host"/>): what git-annex offers its external
/// special remotes besides content. State and URLs are kept on the git-annex branch in git-annex's own files, so
/// git-annex reads what a Tether backend wrote and the reverse. Since contracts 2.1.
/// </summary>
public interface IBackendHost
{
    /// <summary>The state this remote stored for <paramref name="key"/> (git-annex's <c>KEY.log.rmt</c>); null when none.</summary>
    Task<string?> GetStateAsync(Key key, CancellationToken ct);

    /// <summary>Stores state for <paramref name="key"/> for this remote (the newest write wins, as in git-annex).</summary>
    Task SetStateAsync(Key key, string state, CancellationToken ct);

    /// <summary>Records that <paramref name="url"/> serves (or no longer serves) <paramref name="key"/> (git-annex's <c>KEY.log.web</c>).</summary>
    Task SetUrlAsync(Key key, string url, bool present, CancellationToken ct);

    /// <summary>The URLs recorded for <paramref name="key"/>, as they are logged (a URI of another scheme starts with ':').</summary>
    Task<IReadOnlyList<string>> GetUrlsAsync(Key key, CancellationToken ct);

    /// <summary>A line for the daemon's log, naming the remote (Debug shows only with --verbose).</summary>
    void Log(BackendLogLevel level, string message);
}
