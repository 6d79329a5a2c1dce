namespace Tether.Sdk.Backends;

/// <summary>The outcome of setting a remote up (<see cref="IInitializingBackendFactory.InitializeAsync"/>). Since contracts 2.1.</summary>
/// <param name="Settings">What to record in <c>remote.log</c> for the remote, unescaped.</param>
public sealed record RemoteSetup(IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>The cost the remote itself asks for (git-annex's GETCOST), or null for the factory's default.</summary>
    public int? Cost { get; init; }

    /// <summary>True when the remote says it is reachable only from this machine (git-annex's AVAILABILITY LOCAL).</summary>
    public bool LocalOnly { get; init; }
}
