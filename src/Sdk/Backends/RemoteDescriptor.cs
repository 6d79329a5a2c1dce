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
}
