using Tether.Kernel.Remotes;
using Tether.Sdk.Backends;

namespace Tether.Kernel.Remotes;

/// <summary>A remote during one sync: its config, UUID, content backend, and what went wrong with it.</summary>
public sealed class RemoteEndpoint(Remote remote)
{
    public Remote Remote { get; } = remote;
    public string Name => Remote.Name;
    public string? Uuid { get; set; }
    public IContentBackend? Content { get; set; }
    public bool GitReachable { get; set; }

    /// <summary>The remote's own report of its UUID, still on its way (see RemoteEndpointFactory.BeginOpenAsync).</summary>
    public Task<string?>? UuidCheck { get; set; }

    /// <summary>Why the remote's UUID could not be confirmed; its content is not used then.</summary>
    public string? UuidError { get; set; }

    /// <summary>False for a content-only remote (rsync and other special remotes): no git fetch or push there.</summary>
    public bool HasGit { get; set; } = true;
    public List<string> Errors { get; } = [];
}
