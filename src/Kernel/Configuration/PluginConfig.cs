namespace Tether.Kernel.Configuration;

public sealed class PluginConfig
{
    /// <summary>Extra folders to load plugins from.</summary>
    public IReadOnlyList<string> Folders { get; init; } = [];
}
