using Tether.Kernel.Remotes;
using Tether.Sdk.Backends;

namespace Tether.Kernel.Sync;

/// <summary>A remote during one sync: its config, UUID, content backend, and what went wrong with it.</summary>
public sealed class RemoteEndpoint(Remote remote)
{
    public Remote Remote { get; } = remote;
    public string Name => Remote.Name;
    public string? Uuid { get; set; }
    public IContentBackend? Content { get; set; }
    public bool GitReachable { get; set; }

    /// <summary>False for a content-only remote (rsync and other special remotes): no git fetch or push there.</summary>
    public bool HasGit { get; set; } = true;
    public List<string> Errors { get; } = [];
}
