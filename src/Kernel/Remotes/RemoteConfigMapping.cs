using Tether.Kernel.Configuration;

namespace Tether.Kernel.Remotes;

/// <summary>From the config's remote entries to what the sync machinery uses.</summary>
public static class RemoteConfigMapping
{
    public static Remote ToRemote(this RemoteConfig config) =>
        new(config.Name, config.Url, config.Backend, config.Cost, config.BandwidthLimit?.BytesPerSecond) { Wants = config.Wants, Drive = config.Drive?.ToIdentity(), GitBundles = config.GitBundles };

    public static IReadOnlyList<Remote> RemotesFrom(TetherConfig config, IReadOnlyCollection<string>? only)
    {
        if (only is { Count: > 0 } && only.FirstOrDefault(n => config.Remotes.All(r => r.Name != n)) is { } unknown)
            throw new ArgumentException($"no remote named '{unknown}' in {config.SourcePath ?? "the config"} (known: {string.Join(", ", config.Remotes.Select(r => r.Name))})");
        return config.Remotes.Where(r => only is not { Count: > 0 } || only.Contains(r.Name)).Select(ToRemote).ToList();
    }
}
