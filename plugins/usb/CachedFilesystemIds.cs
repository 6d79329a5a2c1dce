using Tether.Platform.Drives;

namespace Tether.Plugins.Usb;

/// <summary>
/// Filesystem UUIDs and labels per mount, read once per mount (a mount's id and device do not change while it is
/// mounted), so a re-read of the mount table does not run blkid again for every mount.
/// </summary>
internal sealed class CachedFilesystemIds(FilesystemIds ids)
{
    private readonly Dictionary<(int MountId, string Device), FilesystemId> _known = [];

    public async Task<FilesystemId> LookupAsync(MountEntry mount, CancellationToken ct)
    {
        var key = (mount.MountId, mount.Device);
        if (_known.TryGetValue(key, out var id)) return id;
        id = await ids.LookupAsync(mount, ct);
        if (_known.Count > 1000) _known.Clear();
        _known[key] = id;
        return id;
    }
}
