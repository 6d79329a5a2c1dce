using Microsoft.Extensions.Logging;
using Tether.Kernel.Backends;
using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Plugins;

/// <summary>The one place that builds the backends for a repository: built-ins plus every plugin that loads.</summary>
public static class BackendRegistryLoader
{
    public static (BackendRegistry Registry, PluginHost Host) ForRepository(AnnexRepository repo, TetherConfig config, TimeProvider clock, ILogger? log = null)
    {
        var host = LoadPlugins(repo.WorkTree ?? repo.GitDir, config, log);
        return (WithPlugins(host, clock), host);
    }

    public static PluginHost LoadPlugins(string? repoRoot, TetherConfig config, ILogger? log = null)
    {
        var host = new PluginHost(log);
        host.LoadFrom(PluginFolders.For(repoRoot, config.Plugins.Folders));
        return host;
    }

    public static BackendRegistry WithPlugins(PluginHost host, TimeProvider clock) =>
        new([new LocalPathBackendFactory(clock), .. host.Plugins.SelectMany(p => p.Backends)]);
}
