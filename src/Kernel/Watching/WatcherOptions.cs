namespace Tether.Kernel.Watching;

/// <summary>Settings for <see cref="WorkTreeWatcher"/>.</summary>
public sealed record WatcherOptions
{
    /// <summary>How often <see cref="WorkTreeChangeKind.RescanAll"/> is emitted while some folders cannot be watched (inotify watch limit). Default 60 s.</summary>
    public TimeSpan FallbackRescanInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tests only: behave as if inotify_add_watch failed with ENOSPC once this many folders are watched.</summary>
    internal int? MaxWatchesForTesting { get; init; }
}
