namespace Tether.Sdk.Backends;

/// <summary>Creates content backends of one type (e.g. "local", "rsync", "ssh"). Plugins export these.</summary>
public interface IContentBackendFactory
{
    /// <summary>The backend type named in the config's <c>backend:</c> field.</summary>
    string Type { get; }

    /// <summary>Cost used when the config gives none (git-annex's scale: 100 cheap, 200 expensive).</summary>
    int DefaultCost { get; }

    /// <summary>
    /// False for a content-only remote (git-annex's "special remote", e.g. rsync): the kernel then never fetches or
    /// pushes git there, and gives the remote a UUID of its own, kept in git config as remote.NAME.annex-uuid.
    /// </summary>
    bool HasGitRepository => true;

    IContentBackend Create(RemoteDescriptor remote);
}
