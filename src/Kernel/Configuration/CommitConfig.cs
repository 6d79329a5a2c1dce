namespace Tether.Kernel.Configuration;

public sealed class CommitConfig
{
    /// <summary>How long changes must settle before they are committed.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The most changes put into one commit.</summary>
    public int MaxBatch { get; init; } = 5000;
}
