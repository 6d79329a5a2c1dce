using Tether.Kernel.Wants;

namespace Tether.Kernel.Remotes;

/// <summary>A configured remote as the sync machinery sees it.</summary>
/// <param name="BandwidthLimit">Bytes per second, or null for no limit.</param>
public sealed record Remote(string Name, string Url, string Backend, int Cost, long? BandwidthLimit)
{
    /// <summary>What content this remote is sent (remotes[].wants).</summary>
    public WantedContent Wants { get; init; } = WantedContent.All;

    /// <summary>Set for a remote on a removable drive: how the usb trigger recognises it wherever it is mounted.</summary>
    public Sdk.Triggers.DriveIdentity? Drive { get; init; }

    /// <summary>A content-only remote that carries the git level too, as git-remote-annex bundles (remotes[].git: bundles).</summary>
    public bool GitBundles { get; init; }

    /// <summary>A plain filesystem path (not ssh://, host:path, or another URL scheme).</summary>
    public bool IsLocalPath => Url.StartsWith('/') || Url.StartsWith("./", StringComparison.Ordinal) || Url.StartsWith("../", StringComparison.Ordinal) || Url.StartsWith("file://", StringComparison.Ordinal);

    public string LocalPath => Url.StartsWith("file://", StringComparison.Ordinal) ? Url["file://".Length..] : Url;
}
