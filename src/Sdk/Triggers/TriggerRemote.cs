namespace Tether.Sdk.Triggers;

/// <summary>A configured remote as a trigger sees it. Since contracts 1.2.</summary>
/// <param name="Name">The remote's name.</param>
/// <param name="Url">The path or URL in the config (for a drive: where it was when added).</param>
/// <param name="Backend">Its backend type.</param>
public sealed record TriggerRemote(string Name, string Url, string Backend)
{
    /// <summary>How to recognise the remote's drive when it is plugged in (remotes added with <c>tether drive add</c>); null for other remotes.</summary>
    public DriveIdentity? Drive { get; init; }
}
