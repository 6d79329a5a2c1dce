using Tether.Kernel.Repositories;

namespace Tether.Kernel.Remotes;

/// <summary>
/// Learns a remote's annex UUID and remembers it as remote.&lt;name&gt;.annex-uuid in our git config (as git-annex does).
/// A local repository without a UUID is initialised, so a plain `git init --bare` target just works.
/// </summary>
public sealed class RemoteUuidResolver(AnnexRepository repo, RepositoryInitializer initializer)
{
    public string? Cached(string remoteName)
    {
        using var git = repo.OpenGit();
        return git.Config.Get<string>($"remote.{remoteName}.annex-uuid")?.Value;
    }

    public async Task<string?> ResolveAsync(Remote remote, CancellationToken ct)
    {
        if (!remote.IsLocalPath) return Cached(remote.Name);
        var target = AnnexRepository.OpenExact(remote.LocalPath);
        var uuid = target.ReadUuid();
        if (uuid is null)
        {
            await initializer.InitializeAsync(remote.LocalPath, null, target.IsBare, ct);
            uuid = target.RequireUuid();
        }
        using var git = repo.OpenGit();
        if (git.Config.Get<string>($"remote.{remote.Name}.annex-uuid")?.Value != uuid)
            git.Config.Set($"remote.{remote.Name}.annex-uuid", uuid);
        return uuid;
    }
}
