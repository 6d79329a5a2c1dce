namespace Tether.Sdk.Backends;

/// <summary>What a backend is told about the remote it serves.</summary>
/// <param name="Name">The remote's name in the config.</param>
/// <param name="Url">A path or URL, as configured.</param>
/// <param name="Uuid">The remote repository's annex UUID when known.</param>
/// <param name="BandwidthLimit">Bytes per second, or null for no limit.</param>
public sealed record RemoteDescriptor(string Name, string Url, string? Uuid, long? BandwidthLimit)
{
    /// <summary>This repository's own annex UUID (the remote side's transfer records name it). Since contracts 1.1.</summary>
    public string? LocalUuid { get; init; }

    /// <summary>
    /// A content-only remote's settings: the fields git-annex keeps for it in <c>remote.log</c> (e.g. <c>externaltype</c>,
    /// <c>target</c>, <c>prefix</c>), unescaped; when setting a remote up (<see cref="IInitializingBackendFactory"/>), the
    /// user's. Empty for other remotes. Since contracts 2.1.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The git directory of the repository using the remote (e.g. <c>/home/me/Sync/.git</c>). Since contracts 2.1.</summary>
    public string? GitDirectory { get; init; }

    /// <summary>What the kernel offers the backend besides content: per-key state and URLs in the git-annex branch, logging. Since contracts 2.1.</summary>
    public IBackendHost? Host { get; init; }
}
