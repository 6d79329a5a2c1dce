using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// Whether a remote has a key: true, false, or null when it cannot tell (its check failed, e.g. an external helper
/// answering CHECKPRESENT-UNKNOWN, as git-annex-remote-rclone does with rclone releases whose output it cannot parse).
/// As for content, "cannot tell" means: try it.
/// </summary>
public static class Presence
{
    public static async Task<bool?> OfAsync(IContentBackend backend, Key key, CancellationToken ct)
    {
        try { return await backend.HasKeyAsync(key, ct); }
        catch (IOException e) when (e is not FileNotFoundException && !ct.IsCancellationRequested) { return null; }
    }
}
