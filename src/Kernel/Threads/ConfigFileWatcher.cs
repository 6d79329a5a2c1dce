using Microsoft.Extensions.Logging;
using Tether.Kernel.Coordination;

namespace Tether.Kernel.Threads;

/// <summary>
/// Watches the config file and asks for a reload when it changes: editors save by rename, by truncate-and-write or
/// in several writes, so changes ring a doorbell and the reload runs once they have settled for <see cref="Settle"/>.
/// The folder is watched (not the file), so a file that is replaced, deleted or created is seen too.
/// </summary>
public sealed class ConfigFileWatcher(string configPath, Action reload, ILogger log)
{
    private readonly Doorbell _changed = new();

    public TimeSpan Settle { get; init; } = TimeSpan.FromMilliseconds(300);

    public async Task RunAsync(TimeProvider clock, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(configPath)!;
        if (!Directory.Exists(folder))
        {
            log.LogInformation("No config folder {Folder}: edits to {Config} are read by 'tether reload' or at the next start", folder, configPath);
            return;
        }
        using var watcher = new FileSystemWatcher(folder, Path.GetFileName(configPath))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler ring = (_, _) => _changed.Ring();
        watcher.Changed += ring;
        watcher.Created += ring;
        watcher.Deleted += ring;
        watcher.Renamed += (_, _) => _changed.Ring();
        watcher.Error += (_, e) => { log.LogWarning(e.GetException(), "Watching {Config} failed; it is re-read on the next change", configPath); _changed.Ring(); };
        watcher.EnableRaisingEvents = true;
        log.LogDebug("Watching {Config} for edits", configPath);
        while (await _changed.WaitAsync(ct))
        {
            while (await _changed.WaitAsync(Settle, clock, ct)) { } // until the edits stop
            if (ct.IsCancellationRequested) return;
            log.LogInformation("{Config} changed: reloading", configPath);
            reload();
        }
    }
}
