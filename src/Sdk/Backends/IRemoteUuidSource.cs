namespace Tether.Sdk.Backends;

/// <summary>
/// A backend that can ask the remote itself for its repository's annex UUID (an ssh remote answers through
/// <c>tether shell</c>). The kernel asks each sync, while git fetches, and refuses to move content to a remote whose
/// UUID is not the recorded one. Since contracts 2.0 (was <c>IContentBackend.ReadRemoteUuidAsync</c>).
/// </summary>
public interface IRemoteUuidSource : IContentBackend
{
    /// <summary>The remote repository's annex UUID; null when it cannot tell.</summary>
    Task<string?> ReadRemoteUuidAsync(CancellationToken ct);
}
