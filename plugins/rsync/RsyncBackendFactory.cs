using Tether.Sdk.Backends;

namespace Tether.Plugins.Rsync;

/// <summary>
/// Backend type "rsync": content only (git-annex's rsync special remote), in git-annex's layout
/// <c>&lt;url&gt;/&lt;hashdirlower&gt;/&lt;key&gt;/&lt;key&gt;</c>, on a local path or <c>host:path</c> over ssh.
/// </summary>
public sealed class RsyncBackendFactory : IContentBackendFactory
{
    public string Type => "rsync";
    public int DefaultCost => 200; // git-annex: rsync remotes are "expensive" (200)
    public bool HasGitRepository => false;
    public IContentBackend Create(RemoteDescriptor remote) => new RsyncBackend(remote, RsyncLocation.Parse(remote.Url));
}
