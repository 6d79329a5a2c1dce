namespace Tether.Kernel.Committing;

/// <summary>When the committer commits. A single change goes in after a short quiet period; a burst is
/// cut into commits at most every MaxBatchDelay or MaxBatch paths.</summary>
public sealed record CommitTiming
{
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromSeconds(2);
    public int MaxBatch { get; init; } = 5000;
    public TimeSpan OpenFileSettle { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan DeferredRetry { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Above this many paths one status scan of the tree is cheaper than a path list.</summary>
    public int FullScanAbove { get; init; } = 2000;
}
