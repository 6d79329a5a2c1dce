namespace Tether.Platform.Drives;

/// <summary>One line of /proc/self/mountinfo (proc(5)). Paths are unescaped (<c>\040</c> is a space).</summary>
public sealed record MountEntry(
    int MountId,
    int ParentId,
    int Major,
    int Minor,
    string Root,
    string MountPoint,
    string Options,
    IReadOnlyList<string> OptionalFields,
    string FsType,
    string Source,
    string SuperOptions)
{
    /// <summary>"major:minor", the device the filesystem is on (0:N for tmpfs and other virtual filesystems).</summary>
    public string Device => $"{Major}:{Minor}";

    /// <summary>Kernel and virtual filesystems that never hold a drive, and network ones that may hang when looked into.</summary>
    public bool IsPseudoOrNetwork => NotDrives.Contains(FsType) || FsType.StartsWith("fuse.sshfs", StringComparison.Ordinal);

    private static readonly HashSet<string> NotDrives = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "cgroup", "cgroup2", "devpts", "devtmpfs", "mqueue", "debugfs", "tracefs", "securityfs", "pstore",
        "bpf", "configfs", "fusectl", "hugetlbfs", "autofs", "binfmt_misc", "nsfs", "efivarfs", "rpc_pipefs", "selinuxfs",
        "nfs", "nfs4", "cifs", "smb3", "9p", "ceph", "overlay", "squashfs",
    };
}
