namespace Tether.Tests.Usb;

/// <summary>
/// A drive for the tests: an ext4 image on a loop device (label and filesystem UUID, data kept between mounts), or a
/// tmpfs. Every mount it makes is unmounted (lazily, so a test failing mid-transfer cannot leave it busy) and the loop
/// device detached when disposed; dispose it before the temporary folder that holds its mount points.
/// </summary>
internal sealed class ScratchDrive : IDisposable
{
    private readonly List<string> _mounts = [];
    private readonly string? _image;

    public string? Device { get; }

    private ScratchDrive(string? image, string? device)
    {
        _image = image;
        Device = device;
    }

    public static ScratchDrive Ext4(string image, long sizeMiB, string label)
    {
        MountSupport.MustRun("truncate", "-s", $"{sizeMiB}M", image);
        MountSupport.MustRun("mkfs.ext4", "-q", "-L", label, image);
        return new ScratchDrive(image, MountSupport.MustRun("losetup", "-f", "--show", image).Trim());
    }

    public static ScratchDrive Tmpfs() => new(null, null);

    public string Mount(string mountPoint)
    {
        Directory.CreateDirectory(mountPoint);
        if (Device is null) MountSupport.MustRun("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mountPoint);
        else MountSupport.MustRun("mount", Device, mountPoint);
        _mounts.Add(mountPoint);
        return mountPoint;
    }

    /// <summary>Moves the mounted filesystem to another path (tmpfs keeps its data only this way).</summary>
    public string Move(string from, string to)
    {
        Directory.CreateDirectory(to);
        MountSupport.MustRun("mount", "--move", from, to);
        _mounts.Remove(from);
        _mounts.Add(to);
        return to;
    }

    /// <summary>umount; with <paramref name="lazy"/>, <c>umount -l</c>: detached at once, even with files open on it (a drive pulled out).</summary>
    public void Unmount(string mountPoint, bool lazy = false)
    {
        if (lazy) MountSupport.MustRun("umount", "-l", mountPoint);
        else UnmountPatiently(mountPoint);
        _mounts.Remove(mountPoint);
    }

    /// <summary>A plain umount, retried for a few seconds while the daemon may still hold a file there (EBUSY).</summary>
    private static void UnmountPatiently(string mountPoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (code, output) = MountSupport.Run("umount", mountPoint);
            if (code == 0) return;
            if (attempt >= 50) throw new InvalidOperationException($"umount {mountPoint}: {output}");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        foreach (var mount in Enumerable.Reverse(_mounts)) MountSupport.Run("umount", "-l", mount);
        _mounts.Clear();
        if (Device is not null) MountSupport.Run("losetup", "-d", Device);
        if (_image is not null) File.Delete(_image);
    }
}
