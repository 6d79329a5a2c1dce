using Tether.Kernel.Wants;
namespace Tether.Kernel.Configuration;

/// <summary>The node-local configuration of a repository, read from .tether/config.yml.</summary>
public sealed class TetherConfig
{
    /// <summary>All defaults; the same as <c>new TetherConfig()</c>.</summary>
    public static TetherConfig Default { get; } = new();

    public string? Description { get; init; }

    public AnnexConfig Annex { get; init; } = new();

    public IReadOnlyList<RemoteConfig> Remotes { get; init; } = [];

    /// <summary>What content this repository fetches for itself: all (default), none, or matching globs.</summary>
    public WantedContent Wants { get; init; } = WantedContent.All;

    public CommitConfig Commit { get; init; } = new();

    /// <summary>How long to wait before retrying a failed push.</summary>
    public TimeSpan PushRetryInterval { get; init; } = TimeSpan.FromMinutes(30);

    public TransferConfig Transfers { get; init; } = new();

    public PluginConfig Plugins { get; init; } = new();

    public IReadOnlyList<TriggerConfig> Triggers { get; init; } = [];

    public IReadOnlyList<HookConfig> Hooks { get; init; } = [];

    /// <summary>The file this configuration was read from; null for defaults.</summary>
    public string? SourcePath { get; init; }
}
