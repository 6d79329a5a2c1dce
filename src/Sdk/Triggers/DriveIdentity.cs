namespace Tether.Sdk.Triggers;

/// <summary>
/// How a drive remote is recognised when it comes back, wherever it is mounted (the mount path changes between
/// plugs). In order of strength: <see cref="RepositoryUuid"/> (the annex UUID of the repository in
/// <see cref="Folder"/> on the drive: a drive is only ever taken for this remote when the repository there has it),
/// then <see cref="FsUuid"/> and <see cref="Label"/> (which mounts to look at first; a tmpfs or a filesystem without
/// a UUID is found by the repository alone); the kernel and the usb plugin match mounts against it. Since contracts 1.2.
/// </summary>
/// <param name="Folder">The repository's folder relative to the drive's root, e.g. "tether".</param>
/// <param name="RepositoryUuid">The annex UUID of the bare repository on the drive.</param>
public sealed record DriveIdentity(string Folder, string RepositoryUuid)
{
    /// <summary>The filesystem UUID (as in /dev/disk/by-uuid and blkid), if the filesystem has one.</summary>
    public string? FsUuid { get; init; }

    /// <summary>The filesystem label, if any.</summary>
    public string? Label { get; init; }
}
