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

    /// <summary>How often remotes on other machines are pulled from (they cannot push to us); zero: never.</summary>
    public TimeSpan PullInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TransferConfig Transfers { get; init; } = new();

    public PluginConfig Plugins { get; init; } = new();

    public IReadOnlyList<TriggerConfig> Triggers { get; init; } = [];

    public IReadOnlyList<HookConfig> Hooks { get; init; } = [];

    /// <summary>How long replaced and deleted versions are kept in the network (history.keep).</summary>
    public HistoryConfig History { get; init; } = new();

    /// <summary>This node's ignore globs (gitignore syntax; .gitignore files in the tree apply as well).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = IgnoreRules.Defaults;

    /// <summary>The web dashboard (web: off, or its address and port).</summary>
    public WebConfig Web { get; init; } = new();

    /// <summary>The file this configuration was read from; null for defaults.</summary>
    public string? SourcePath { get; init; }
}
