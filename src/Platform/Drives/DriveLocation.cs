namespace Tether.Platform.Drives;

/// <summary>Where a known drive is mounted now.</summary>
/// <param name="Remote">The drive remote's name.</param>
/// <param name="Mount">The mount it was found on.</param>
/// <param name="RepositoryPath">Its repository: the mount point plus the drive's folder.</param>
/// <param name="MatchedBy">What picked this mount first: "filesystem uuid", "label", or "repository uuid" (a filesystem with neither).</param>
public sealed record DriveLocation(string Remote, MountEntry Mount, string RepositoryPath, string MatchedBy);
