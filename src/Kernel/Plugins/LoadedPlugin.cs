using Tether.Sdk.Backends;
using Tether.Sdk.Triggers;

namespace Tether.Kernel.Plugins;

/// <summary>A plugin that loaded: where from, its assembly's name and version, and what it provides.</summary>
/// <param name="Triggers">The trigger factories it provides (see <see cref="ISyncTriggerFactory"/>).</param>
public sealed record LoadedPlugin(
    string Folder,
    string AssemblyPath,
    string Name,
    string Version,
    Version ContractsVersion,
    IReadOnlyList<IContentBackendFactory> Backends,
    IReadOnlyList<ISyncTriggerFactory> Triggers);
