using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// Signals when another node pushes into this repository: watches .git/refs/heads/synced/ (where peers push
/// synced/&lt;branch&gt; and synced/git-annex), .git/refs/remotes/ (where some tools push, and our fetches
/// land) and .git/packed-refs. A few folders only, so the .NET watcher
/// (inotify) is enough; any event just rings the bell, and the merger compares the refs themselves, so a
/// missed or doubled event cannot lose a change. No polling.
/// </summary>
public sealed class ReceivedRefsWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];

    public ReceivedRefsWatcher(AnnexRepository repo, Action changed, ILogger log)
    {
        var syncedDir = Path.Combine(repo.GitDir, "refs", "heads", "synced");
        Directory.CreateDirectory(syncedDir); // exists before the first push, so its first ref is never missed
        _watchers.Add(Watch(syncedDir, "*", includeSubdirectories: true, changed, log));
        var remotesDir = Path.Combine(repo.GitDir, "refs", "remotes");
        Directory.CreateDirectory(remotesDir);
        _watchers.Add(Watch(remotesDir, "*", includeSubdirectories: true, changed, log));
        _watchers.Add(Watch(repo.GitDir, "packed-refs", includeSubdirectories: false, changed, log));
    }

    private static FileSystemWatcher Watch(string folder, string filter, bool includeSubdirectories, Action changed, ILogger log)
    {
        var watcher = new FileSystemWatcher(folder, filter)
        {
            IncludeSubdirectories = includeSubdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, _) => changed();
        watcher.Changed += (_, _) => changed();
        watcher.Renamed += (_, _) => changed();
        watcher.Deleted += (_, _) => changed();
        watcher.Error += (_, e) => { log.LogWarning(e.GetException(), "Ref watcher error; checking refs"); changed(); };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
    }
}
