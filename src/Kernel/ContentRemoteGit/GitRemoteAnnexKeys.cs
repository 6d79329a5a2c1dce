using System.Text.RegularExpressions;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// git-remote-annex's key names (git-annex's Backend/GitRemoteAnnex.hs): the manifest <c>GITMANIFEST--&lt;uuid&gt;</c>, its
/// backup <c>GITMANIFEST--&lt;uuid&gt;.bak</c>, and a bundle <c>GITBUNDLE-s&lt;size&gt;--&lt;uuid&gt;-&lt;sha256 of the bundle&gt;</c>.
/// </summary>
public static partial class GitRemoteAnnexKeys
{
    public const string ManifestBackend = "GITMANIFEST";
    public const string BundleBackend = "GITBUNDLE";

    public static Key Manifest(string remoteUuid) => new(ManifestBackend, remoteUuid);

    public static Key BackupManifest(string remoteUuid) => new(ManifestBackend, remoteUuid + ".bak");

    public static Key Bundle(string remoteUuid, string sha256Hex, long size) => new(BundleBackend, $"{remoteUuid}-{sha256Hex}", size);

    /// <summary>The sha256 a bundle key names (the hex after the last '-'), or null if it is not a well-formed bundle key.</summary>
    public static string? BundleHash(Key key)
    {
        if (key.Backend != BundleBackend || key.ChunkSize is not null) return null;
        var dash = key.Name.LastIndexOf('-');
        if (dash <= 0) return null;
        var hex = key.Name[(dash + 1)..];
        return Sha256Hex().IsMatch(hex) ? hex : null;
    }

    /// <summary>Whether a bundle key belongs to the remote with this UUID (the name is &lt;uuid&gt;-&lt;sha256&gt;).</summary>
    public static bool IsBundleOf(Key key, string remoteUuid) =>
        BundleHash(key) is not null && key.Name.Length == remoteUuid.Length + 1 + 64 && key.Name.StartsWith(remoteUuid + "-", StringComparison.Ordinal);

    /// <summary>
    /// Where git-remote-annex keeps its view of the remote's refs, and the names its bundles carry:
    /// refs/namespaces/git-remote-annex/&lt;uuid&gt;/refs/heads/... (gitnamespaces(7)).
    /// </summary>
    public static string TrackingRefPrefix(string remoteUuid) => $"refs/namespaces/git-remote-annex/{remoteUuid}/";

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
