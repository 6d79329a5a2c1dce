using LibGit2Sharp;
using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Remotes;

/// <summary>
/// A repository added as a remote must be another repository than this one and than every other remote: copies are
/// counted by repository (annex UUID), so a remote at our own path (or a symlink to it) would count our copy as
/// another, and two remotes on one repository would count it twice.
/// </summary>
public static class DistinctRepositoryCheck
{
    /// <summary>Throws <see cref="ArgumentException"/> when the repository at <paramref name="path"/> is this one or another remote's.</summary>
    public static void EnsureOtherRepository(AnnexRepository repo, IEnumerable<RemoteConfig> configured, string path)
    {
        if (UuidAt(path) is not { } uuid) return;
        if (uuid == repo.ReadUuid())
            throw new ArgumentException($"'{path}' is this repository (annex UUID {uuid}): a remote must be another repository");
        var remembered = new ConfiguredRemoteUuids(repo);
        if (configured.FirstOrDefault(r => KnownUuid(remembered, r) == uuid) is { } same)
            throw new ArgumentException($"'{path}' is the repository remote '{same.Name}' already is (annex UUID {uuid}): one remote per repository");
    }

    private static string? KnownUuid(ConfiguredRemoteUuids remembered, RemoteConfig remote) =>
        remembered.Get(remote.Name)
        ?? (remote.ToRemote() is { IsLocalPath: true } local ? UuidAt(local.LocalPath) : null);

    /// <summary>The annex UUID of the repository exactly at <paramref name="path"/>, or null (no repository, not initialised).</summary>
    private static string? UuidAt(string path)
    {
        try { return AnnexRepository.OpenExact(path).ReadUuid(); }
        catch (Exception e) when (e is RepositoryNotFoundException or LibGit2SharpException or IOException or UnauthorizedAccessException) { return null; }
    }
}
