using Tether.Sdk.Backends;

namespace Tether.Kernel.Plugins;

/// <summary>A plugin that loaded: where from, its assembly's name and version, and what it provides.</summary>
/// <param name="Triggers">Trigger types it provides (the trigger contract comes with a later issue: always empty now).</param>
public sealed record LoadedPlugin(
    string Folder,
    string AssemblyPath,
    string Name,
    string Version,
    Version ContractsVersion,
    IReadOnlyList<IContentBackendFactory> Backends,
    IReadOnlyList<string> Triggers);
