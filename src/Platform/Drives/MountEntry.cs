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

    /// <summary>
    /// A filesystem other machines can change behind our back: inotify here sees only this machine's writes to it
    /// (NFS, SMB/CIFS, 9p, Ceph, GlusterFS, sshfs, rclone mount, davfs and other FUSE network filesystems).
    /// </summary>
    public bool IsNetwork => NetworkTypes.Contains(FsType) || FsType is "fuse.sshfs" or "fuse.rclone" or "fuse.glusterfs" or "fuse.s3fs" or "fuse.gcsfuse";

    private static readonly HashSet<string> NetworkTypes = new(StringComparer.Ordinal)
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "glusterfs", "afs", "davfs", "fuse.davfs", "lustre", "gpfs",
    };

    private static readonly HashSet<string> NotDrives = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "cgroup", "cgroup2", "devpts", "devtmpfs", "mqueue", "debugfs", "tracefs", "securityfs", "pstore",
        "bpf", "configfs", "fusectl", "hugetlbfs", "autofs", "binfmt_misc", "nsfs", "efivarfs", "rpc_pipefs", "selinuxfs",
        "nfs", "nfs4", "cifs", "smb3", "9p", "ceph", "overlay", "squashfs",
    };
}
