using Tether.Kernel.Coordination;
using Tether.Platform.Drives;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Shell;

/// <summary>
/// The server side of NOTIFY: watches this repository's branches (<c>refs/heads/</c>, recursively, and
/// <c>packed-refs</c>, through inotify) and tells the client <c>CHANGED</c> whenever they differ from what it last
/// told, whoever moved them (a push from any node, a daemon's commit here, a plain <c>git commit</c>). An event only
/// rings the <see cref="Doorbell"/>; the refs themselves are compared, so a doubled event sends nothing and a burst
/// of pushes within <see cref="Settle"/> is one line. With nothing to say it writes <c>PING</c> every
/// <c>heartbeat</c> (and compares once more, should an event have been missed), so the client can tell a silent
/// server from a lost connection.
/// </summary>
public sealed class RefChangeNotifier(AnnexRepository repo, TimeSpan heartbeat, TimeProvider clock)
{
    /// <summary>How long after the first event the refs are read: one push moves several refs, one after another.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// On a network filesystem inotify sees only this machine's writes, so the refs are also compared this often
    /// (a ref listing, a few hundred bytes).
    /// </summary>
    public static readonly TimeSpan NetworkPoll = TimeSpan.FromSeconds(1);

    public async Task RunAsync(Func<string, CancellationToken, Task> reply, CancellationToken ct)
    {
        var bell = new Doorbell();
        using var watchers = Watch(bell.Ring);
        var look = MountTable.IsOnNetworkFilesystem(repo.GitDir) && NetworkPoll < heartbeat ? NetworkPoll : heartbeat;
        var told = Snapshot();
        var lastSaid = clock.GetTimestamp();
        await reply("OK", ct);
        while (!ct.IsCancellationRequested)
        {
            var rang = await bell.WaitAsync(look, clock, ct);
            if (ct.IsCancellationRequested) break;
            if (rang) await Task.Delay(Settle, clock, ct);
            var now = Snapshot();
            if (now != told)
            {
                told = now;
                await reply("CHANGED", ct);
                lastSaid = clock.GetTimestamp();
            }
            else if (!rang && clock.GetElapsedTime(lastSaid) >= heartbeat - look / 2)
            {
                await reply("PING", ct);
                lastSaid = clock.GetTimestamp();
            }
        }
    }

    /// <summary>Every branch and its commit, as one string (a few hundred bytes for a Tether repository).</summary>
    private string Snapshot()
    {
        using var git = repo.OpenGit();
        return string.Join('\n', git.Refs
            .Where(r => r.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal))
            .Select(r => r.CanonicalName + " " + r.TargetIdentifier)
            .Order(StringComparer.Ordinal));
    }

    private Watchers Watch(Action changed)
    {
        var headsFolder = Path.Combine(repo.GitDir, "refs", "heads");
        Directory.CreateDirectory(headsFolder); // git always has it; a hand-pruned repository gets it back, empty
        var heads = new FileSystemWatcher(headsFolder) { IncludeSubdirectories = true };
        var packed = new FileSystemWatcher(repo.GitDir, "packed-refs");
        foreach (var watcher in new[] { heads, packed })
        {
            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;
            watcher.Created += (_, _) => changed();
            watcher.Changed += (_, _) => changed();
            watcher.Renamed += (_, _) => changed();
            watcher.Deleted += (_, _) => changed();
            watcher.Error += (_, _) => changed();
            watcher.EnableRaisingEvents = true;
        }
        return new Watchers(heads, packed);
    }

    private sealed class Watchers(params FileSystemWatcher[] watchers) : IDisposable
    {
        public void Dispose()
        {
            foreach (var watcher in watchers) watcher.Dispose();
        }
    }
}
