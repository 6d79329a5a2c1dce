using Tether.Kernel.Threads;
namespace Tether.Kernel.Watching;

/// <summary>Settings for <see cref="WorkTreeWatcher"/>.</summary>
public sealed record WatcherOptions
{
    /// <summary>How often <see cref="WorkTreeChangeKind.RescanAll"/> is emitted while some folders cannot be watched (inotify watch limit). Default 60 s.</summary>
    public TimeSpan FallbackRescanInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Told of a standing problem to show the user (the watch limit: a message), and when it clears (null).</summary>
    public Action<string?>? DegradedChanged { get; init; }

    /// <summary>
    /// Told when the work tree itself may have gone or come back: the root folder deleted or moved, a filesystem under
    /// it unmounted, or <c>.git</c> at the root created, deleted or moved (the presence check looks again).
    /// </summary>
    public Action? RootMayHaveChanged { get; init; }

    /// <summary>Tests only: behave as if inotify_add_watch failed with ENOSPC once this many folders are watched.</summary>
    internal int? MaxWatchesForTesting { get; init; }
}
