namespace Tether.Kernel.Configuration;

public sealed class CommitConfig
{
    /// <summary>How long changes must settle before they are committed.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The most changes put into one commit.</summary>
    public int MaxBatch { get; init; } = 5000;

    /// <summary>The deletion guard: a batch deleting more than this share (percent) of the tree is not committed...</summary>
    public int MaxDeletionPercent { get; init; } = 50;

    /// <summary>...when the tree has at least this many files.</summary>
    public int DeletionGuardMinFiles { get; init; } = 100;
}
