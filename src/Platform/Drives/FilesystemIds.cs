using System.Globalization;
using System.Text;
using Tether.Platform.Processes;

namespace Tether.Platform.Drives;

/// <summary>
/// Reads a mounted filesystem's UUID and label from the system: the mount's MAJOR:MINOR names its block device
/// (<c>/sys/dev/block/M:m</c>), which <c>/dev/disk/by-uuid/*</c> and <c>/dev/disk/by-label/*</c> link to (udev makes
/// them); where udev made none (containers, early boot), <c>blkid -o export DEVICE</c> is asked.
/// </summary>
public sealed class FilesystemIds(string diskRoot = "/dev/disk", string sysBlockRoot = "/sys/dev/block", string devRoot = "/dev")
{
    private static readonly TimeSpan BlkidTimeout = TimeSpan.FromSeconds(10);

    public async Task<FilesystemId> LookupAsync(MountEntry mount, CancellationToken ct)
    {
        if (DeviceName(mount) is not { } device) return FilesystemId.None;
        var uuid = FindLink(Path.Combine(diskRoot, "by-uuid"), device);
        var label = FindLink(Path.Combine(diskRoot, "by-label"), device) is { } escaped ? UnescapeUdev(escaped) : null;
        if (uuid is not null) return new FilesystemId(uuid, label);
        var devicePath = Path.Combine(devRoot, device);
        return File.Exists(devicePath) ? await BlkidAsync(devicePath, ct) ?? new FilesystemId(null, label) : new FilesystemId(null, label);
    }

    /// <summary>The block device's name (e.g. sdb1, loop3), or null for a filesystem on no block device (tmpfs).</summary>
    public string? DeviceName(MountEntry mount)
    {
        var sys = new FileInfo(Path.Combine(sysBlockRoot, mount.Device));
        try
        {
            if (sys.LinkTarget is { } target) return Path.GetFileName(target);
        }
        catch (IOException) { }
        return mount.Source.StartsWith("/dev/", StringComparison.Ordinal) && mount.Major != 0 ? Path.GetFileName(mount.Source) : null;
    }

    private static string? FindLink(string folder, string device)
    {
        if (!Directory.Exists(folder)) return null;
        foreach (var link in Directory.EnumerateFileSystemEntries(folder))
        {
            try
            {
                if (new FileInfo(link).LinkTarget is { } target && Path.GetFileName(target) == device) return Path.GetFileName(link);
            }
            catch (IOException) { }
        }
        return null;
    }

    /// <summary>udev writes unsafe characters of a label as <c>\xHH</c> (a space is <c>\x20</c>).</summary>
    public static string UnescapeUdev(string name)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && i + 3 < name.Length && name[i + 1] == 'x'
                && byte.TryParse(name.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 3;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(name[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary><c>blkid -o export DEVICE</c>; null when blkid is missing (util-linux), fails or hangs past its timeout.</summary>
    private static async Task<FilesystemId?> BlkidAsync(string devicePath, CancellationToken ct)
    {
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec("blkid", ["-o", "export", devicePath]) { Timeout = BlkidTimeout }, ct); }
        catch (ProcessStartException) { return null; }
        return result.ExitCode == 0 ? ParseBlkidExport(result.Stdout) : null;
    }

    /// <summary>Parses <c>blkid -o export</c>: KEY=VALUE lines, special characters backslash-escaped.</summary>
    public static FilesystemId ParseBlkidExport(string text)
    {
        string? uuid = null, label = null;
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var value = UnescapeBackslashes(line[(eq + 1)..]);
            switch (line[..eq])
            {
                case "UUID": uuid = value; break;
                case "LABEL": label = value; break;
            }
        }
        return new FilesystemId(uuid, label);
    }

    private static string UnescapeBackslashes(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length) i++;
            result.Append(value[i]);
        }
        return result.ToString();
    }
}
