using Tether.Kernel.Committing;
using Tether.Kernel.Configuration;
using Tether.Kernel.Remotes;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Daemon;

/// <summary>What the daemon takes from the config.</summary>
public sealed record DaemonSettings(
    string Description,
    Func<string, long, bool> IsLarge,
    IReadOnlyList<Remote> Remotes,
    CommitTiming Timing,
    TimeSpan PushRetryInterval,
    int TransferSlots)
{
    /// <summary>The mass-deletion guard (commit.max_deletion_percent of at least commit.deletion_guard_min_files).</summary>
    public DeletionGuard DeletionGuard { get; init; } = new();

    /// <summary>The hooks: list (run by Hooks/HookRunner, with the drop-ins of .tether/hooks/).</summary>
    public IReadOnlyList<HookConfig> Hooks { get; init; } = [];

    /// <summary>Which remotes get the content we have (transfers.strategy).</summary>
    public TransferStrategy Strategy { get; init; } = TransferStrategy.Tree;

    /// <summary>What content this repository fetches for itself (the top-level wants).</summary>
    public WantedContent Wants { get; init; } = WantedContent.All;

    /// <summary>The triggers: list (Triggers/TriggerHost runs them, with an implicit usb trigger for drive remotes).</summary>
    public IReadOnlyList<TriggerConfig> Triggers { get; init; } = [];

    /// <summary>New large files are added unlocked (annex.unlocked).</summary>
    public bool Unlocked { get; init; }

    /// <summary>This node's ignore globs (config ignore:).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = IgnoreRules.Defaults;

    /// <summary>Keep a live change-notification session to each ssh remote (Remotes/RemoteChangeListener).</summary>
    public bool ListenForChanges { get; init; } = true;

    /// <summary>How many copies of each file are wanted (annex.numcopies): fewer are reported in the status.</summary>
    public int NumCopies { get; init; } = 1;

    /// <summary>How often remotes on other machines are pulled from (pull_interval); zero: never.</summary>
    public TimeSpan PullInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The config file, for messages naming a line of it.</summary>
    public string? ConfigPath { get; init; }

    public static DaemonSettings From(TetherConfig config, string description) => new(
        description,
        config.Annex.LargeFiles.IsLarge,
        RemoteConfigMapping.RemotesFrom(config, null),
        new CommitTiming { QuietPeriod = config.Commit.QuietPeriod, MaxBatch = config.Commit.MaxBatch },
        config.PushRetryInterval,
        config.Transfers.Slots)
        {
            Hooks = config.Hooks,
            DeletionGuard = new DeletionGuard(config.Commit.MaxDeletionPercent, config.Commit.DeletionGuardMinFiles),
            Strategy = config.Transfers.Strategy,
            Wants = config.Wants,
            Triggers = config.Triggers,
            ConfigPath = config.SourcePath,
            Unlocked = config.Annex.Unlocked,
            Ignore = config.Ignore,
            NumCopies = config.Annex.NumCopies,
            PullInterval = config.PullInterval,
        };
}
