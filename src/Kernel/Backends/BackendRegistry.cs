using Tether.Kernel.Remotes;
using Tether.Sdk.Backends;

namespace Tether.Kernel.Backends;

/// <summary>The content backend types known to this process: the built-in "local" plus what plugins add.</summary>
public sealed class BackendRegistry
{
    private readonly Dictionary<string, IContentBackendFactory> _factories = new(StringComparer.Ordinal);

    public BackendRegistry(IEnumerable<IContentBackendFactory> factories)
    {
        foreach (var factory in factories) _factories[factory.Type] = factory;
    }

    public static BackendRegistry BuiltIn(TimeProvider clock) => new([new LocalPathBackendFactory(clock)]);

    public IReadOnlyCollection<string> Types => _factories.Keys;

    public IReadOnlyCollection<IContentBackendFactory> Factories => _factories.Values;

    /// <exception cref="InvalidOperationException">No loaded plugin provides the remote's backend type.</exception>
    public IContentBackendFactory FactoryFor(Remote remote) =>
        _factories.TryGetValue(remote.Backend, out var factory)
            ? factory
            : throw new InvalidOperationException(
                $"remote '{remote.Name}' uses backend '{remote.Backend}', which no loaded plugin provides (known: {string.Join(", ", _factories.Keys.Order())}; see 'tether plugins')");

    public IContentBackend Create(Remote remote, string? uuid, string? localUuid = null) => FactoryFor(remote).Create(Describe(remote, uuid, localUuid));

    /// <summary>What a backend is told about <paramref name="remote"/> (settings, git directory and host: for content-only remotes).</summary>
    public static RemoteDescriptor Describe(Remote remote, string? uuid, string? localUuid = null) =>
        new(remote.Name, remote.IsLocalPath ? remote.LocalPath : remote.Url, uuid, remote.BandwidthLimit) { LocalUuid = localUuid };
}
