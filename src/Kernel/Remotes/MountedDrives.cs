using Tether.Platform.Drives;

namespace Tether.Kernel.Remotes;

/// <summary>
/// For one-shot commands (sync, get, drop): points each drive remote at where its drive is mounted now (found as
/// the usb trigger finds it), and sets aside the drives that are not mounted, so they are skipped with a clear word
/// instead of failing at a stale path.
/// </summary>
public static class MountedDrives
{
    public static async Task<(IReadOnlyList<Remote> Remotes, IReadOnlyList<string> NotMounted)> LocateAsync(IReadOnlyList<Remote> remotes, CancellationToken ct)
    {
        var drives = remotes.Where(r => r.Drive is not null).Select(r => (r.Name, r.Drive!)).ToList();
        if (drives.Count == 0) return (remotes, []);
        var ids = new FilesystemIds();
        var (found, _) = await new DriveLocator(ids.LookupAsync, DriveMarker.ReadRepositoryUuid).LocateAsync(drives, MountTable.ReadCurrent(), ct);
        var located = new List<Remote>();
        var notMounted = new List<string>();
        foreach (var remote in remotes)
        {
            if (remote.Drive is null) located.Add(remote);
            else if (found.FirstOrDefault(f => f.Remote == remote.Name) is { } at) located.Add(remote with { Url = at.RepositoryPath });
            else notMounted.Add(remote.Name);
        }
        return (located, notMounted);
    }
}
