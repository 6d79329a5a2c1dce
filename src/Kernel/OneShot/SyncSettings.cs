using Tether.Kernel.Wants;

namespace Tether.Kernel.OneShot;

/// <summary>The parts of the config a sync needs.</summary>
/// <param name="Description">This repository's description (commit messages).</param>
/// <param name="IsLarge">The large-file rule: (repository-relative path, size) → annex it?</param>
/// <param name="Content">Move content too, not only git.</param>
public sealed record SyncSettings(string Description, Func<string, long, bool> IsLarge, bool Content = true)
{
    /// <summary>Which remotes get the content we have (transfers.strategy).</summary>
    public Configuration.TransferStrategy Strategy { get; init; } = Configuration.TransferStrategy.Tree;

    /// <summary>What content this repository fetches for itself (the top-level wants).</summary>
    public WantedContent Wants { get; init; } = WantedContent.All;

    /// <summary>New large files are added unlocked (annex.unlocked).</summary>
    public bool Unlocked { get; init; }

    /// <summary>This node's ignore globs (config ignore:).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = Configuration.IgnoreRules.Defaults;
}
