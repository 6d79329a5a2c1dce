using Tether.Platform.Drives;
using Tether.Sdk.Triggers;

namespace Tether.Plugins.Usb;

/// <summary>
/// The drive watcher: reads the mount table at start and after every change (poll on /proc/self/mountinfo,
/// nudged by udisks2 where the system bus has it), finds the known drives wherever they are mounted
/// (<see cref="DriveLocator"/>), and reports each one that appeared or moved as available at its repository path,
/// and each one that went as unavailable. Mounts that are not known drives are logged at debug level and ignored.
/// </summary>
internal sealed class UsbTrigger(
    IReadOnlyList<(string Remote, DriveIdentity Drive)> drives,
    Func<IReadOnlyList<MountEntry>> readMounts,
    DriveLocator locator,
    Func<MountInfoWatcher> watch) : ISyncTrigger
{
    private readonly Dictionary<string, DriveLocation> _present = new(StringComparer.Ordinal);
    private readonly HashSet<int> _seenMounts = [];
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public async Task RunAsync(ISyncRequester kernel, CancellationToken ct)
    {
        if (drives.Count == 0)
        {
            kernel.Log(TriggerLogLevel.Debug, "no drive remotes: nothing to watch");
            return;
        }
        kernel.Log(TriggerLogLevel.Information, $"watching for drive(s) {string.Join(", ", drives.Select(d => d.Remote))} (mount table changes)");
        using var watcher = watch();
        using var udisks = await UdisksSignals.TryStartAsync(watcher.Nudge, kernel, ct);
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            await ScanAsync(kernel, first, ct);
            first = false;
            await watcher.WaitForChangeAsync(ct);
        }
    }

    private async Task ScanAsync(ISyncRequester kernel, bool first, CancellationToken ct)
    {
        var mounts = readMounts();
        var (found, mismatches) = await locator.LocateAsync(drives, mounts, ct);
        LogUnknownMounts(kernel, mounts, found, first);
        foreach (var mismatch in mismatches.Where(m => _warned.Add($"{m.Remote} {m.Mount.MountId}")))
            kernel.Log(TriggerLogLevel.Warning, $"drive {mismatch.Remote}: {mismatch.Mount.MountPoint} ({mismatch.Mount.Source}) not used: {mismatch.Why}");
        foreach (var location in found)
        {
            if (_present.TryGetValue(location.Remote, out var was) && was.RepositoryPath == location.RepositoryPath) continue;
            _present[location.Remote] = location;
            await kernel.RemoteAvailableAsync(location.Remote, location.RepositoryPath,
                $"drive mounted at {location.Mount.MountPoint} (found by {location.MatchedBy})", ct);
        }
        foreach (var gone in _present.Keys.Where(r => found.All(f => f.Remote != r)).ToList())
        {
            var was = _present[gone];
            _present.Remove(gone);
            await kernel.RemoteUnavailableAsync(gone, $"drive unmounted from {was.Mount.MountPoint}", ct);
        }
    }

    private void LogUnknownMounts(ISyncRequester kernel, IReadOnlyList<MountEntry> mounts, IReadOnlyList<DriveLocation> found, bool first)
    {
        foreach (var mount in mounts.Where(m => _seenMounts.Add(m.MountId)))
            if (!first && found.All(f => f.Mount.MountId != mount.MountId))
                kernel.Log(TriggerLogLevel.Debug, $"mount {mount.MountPoint} ({mount.FsType} {mount.Source}) is not a known drive; ignored");
        _seenMounts.IntersectWith(mounts.Select(m => m.MountId));
    }
}
