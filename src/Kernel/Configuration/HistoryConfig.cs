namespace Tether.Kernel.Configuration;

/// <summary>history: how long replaced and deleted versions are kept in the network (keep: 30d, or forever).</summary>
public sealed class HistoryConfig
{
    public static readonly TimeSpan DefaultKeep = TimeSpan.FromDays(30);

    /// <summary>Null: forever.</summary>
    public TimeSpan? Keep { get; init; } = DefaultKeep;
}
