using Tether.Sdk.Backends;

namespace Tether.Kernel.Backends;

/// <summary>The built-in "local" backend type: a repository on a path of this machine.</summary>
public sealed class LocalPathBackendFactory(TimeProvider clock) : IContentBackendFactory
{
    public const string TypeName = "local";
    public string Type => TypeName;
    public int DefaultCost => 100;
    public IContentBackend Create(RemoteDescriptor remote) => new LocalPathBackend(remote, clock);
}
