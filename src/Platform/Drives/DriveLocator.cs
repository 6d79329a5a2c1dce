using Tether.Sdk.Triggers;

namespace Tether.Platform.Drives;

/// <summary>
/// Finds known drives among the mounts. A mount is taken for a drive only when the repository in the drive's folder
/// there has the drive's repository UUID (the strongest identity: a copied or reformatted filesystem, another drive
/// with the same label, or an unrelated folder of that name never passes). Mounts are tried in order: those whose
/// filesystem UUID matches, then those whose label matches, then every other mount that can hold a drive (tmpfs,
/// filesystems without a UUID), so of two mounts holding the same repository (a bind mount, a cloned image) the
/// one with the recorded filesystem wins. Pseudo and network filesystems are never looked into.
/// </summary>
/// <param name="filesystemIds">Reads a mount's filesystem UUID and label (see <see cref="FilesystemIds"/>).</param>
/// <param name="repositoryUuidAt">Reads the annex UUID of the repository at a path (see <see cref="DriveMarker.ReadRepositoryUuid"/>).</param>
public sealed class DriveLocator(Func<MountEntry, CancellationToken, Task<FilesystemId>> filesystemIds, Func<string, string?> repositoryUuidAt)
{
    /// <summary>Mounts whose filesystem matched a drive's UUID or label but whose folder did not hold its repository (worth a warning).</summary>
    public sealed record Mismatch(string Remote, MountEntry Mount, string Why);

    public async Task<(IReadOnlyList<DriveLocation> Found, IReadOnlyList<Mismatch> Mismatches)> LocateAsync(
        IReadOnlyList<(string Remote, DriveIdentity Drive)> drives, IReadOnlyList<MountEntry> mounts, CancellationToken ct)
    {
        var candidates = Visible(mounts).Where(m => !m.IsPseudoOrNetwork).ToList();
        var ids = new Dictionary<int, FilesystemId>();
        if (drives.Any(d => d.Drive.FsUuid is not null || d.Drive.Label is not null))
            foreach (var mount in candidates) ids[mount.MountId] = await filesystemIds(mount, ct);
        var found = new List<DriveLocation>();
        var mismatches = new List<Mismatch>();
        foreach (var (remote, drive) in drives)
        {
            foreach (var (mount, matchedBy) in Ordered(drive, candidates, ids))
            {
                var path = Path.Combine(mount.MountPoint, drive.Folder);
                var uuid = repositoryUuidAt(path);
                if (uuid == drive.RepositoryUuid)
                {
                    found.Add(new DriveLocation(remote, mount, path, matchedBy));
                    break;
                }
                if (matchedBy != "repository uuid")
                    mismatches.Add(new Mismatch(remote, mount, uuid is null
                        ? $"its {matchedBy} matches but {path} holds no repository"
                        : $"its {matchedBy} matches but {path} is another repository (uuid {uuid}, expected {drive.RepositoryUuid})"));
            }
        }
        return (found, mismatches);
    }

    /// <summary>The top mount of each mount point (a later mount on the same path hides the earlier).</summary>
    public static IEnumerable<MountEntry> Visible(IReadOnlyList<MountEntry> mounts) =>
        mounts.GroupBy(m => m.MountPoint, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(m => m.MountId);

    private static IEnumerable<(MountEntry Mount, string MatchedBy)> Ordered(DriveIdentity drive, List<MountEntry> candidates, Dictionary<int, FilesystemId> ids)
    {
        FilesystemId Id(MountEntry m) => ids.GetValueOrDefault(m.MountId) ?? FilesystemId.None;
        var byUuid = candidates.Where(m => drive.FsUuid is not null && string.Equals(Id(m).Uuid, drive.FsUuid, StringComparison.OrdinalIgnoreCase)).ToList();
        var byLabel = candidates.Where(m => drive.Label is not null && Id(m).Label == drive.Label).Except(byUuid).ToList();
        var rest = candidates.Except(byUuid).Except(byLabel);
        return byUuid.Select(m => (m, "filesystem uuid"))
            .Concat(byLabel.Select(m => (m, "label")))
            .Concat(rest.Select(m => (m, "repository uuid")));
    }
}
