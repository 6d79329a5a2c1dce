using Tether.Kernel.Repositories;

namespace Tether.Kernel.Remotes;

/// <summary>
/// Learns a remote's annex UUID and remembers it as remote.&lt;name&gt;.annex-uuid in our git config (as git-annex does).
/// A local repository without a UUID is initialised, so a plain `git init --bare` target just works.
/// </summary>
public sealed class RemoteUuidResolver(AnnexRepository repo, RepositoryInitializer initializer, TimeProvider clock)
{
    public string? Cached(string remoteName)
    {
        using var git = repo.OpenGit();
        return git.Config.Get<string>($"remote.{remoteName}.annex-uuid")?.Value;
    }

    public void Remember(string remoteName, string uuid)
    {
        using var git = repo.OpenGit();
        if (git.Config.Get<string>($"remote.{remoteName}.annex-uuid")?.Value != uuid)
            git.Config.Set($"remote.{remoteName}.annex-uuid", uuid);
    }

    /// <summary>
    /// A content-only remote (git-annex's special remote) has no repository to ask. Its UUID is the one recorded in
    /// the git-annex branch's remote.log for a remote of that name and type (another clone set it up), else a new one,
    /// recorded there and in uuid.log as git-annex's initremote does; either way kept as remote.NAME.annex-uuid.
    /// </summary>
    /// <param name="mustBeRecorded">
    /// The remote is set up once by its backend (an external special remote's INITREMOTE): it is never invented here; one
    /// not in remote.log fails with the commands that set it up.
    /// </param>
    public async Task<string> ResolveContentOnlyAsync(Remote remote, CancellationToken ct, bool mustBeRecorded = false)
    {
        if (Cached(remote.Name) is { } known) return known;
        using var branch = new AnnexBranch.GitAnnexBranch(repo, clock);
        var uuid = AnnexBranch.RemoteLog.Find(branch.Read(AnnexBranch.RemoteLog.FileName), remote.Name, remote.Backend);
        if (uuid is null && mustBeRecorded)
            throw new InvalidOperationException(
                $"remote '{remote.Name}' ({remote.Backend}) is not set up in this repository's remote.log: run 'tether remote enable {remote.Name}' " +
                $"if another clone (or git annex initremote) set it up and you have synced since, else 'tether remote add {remote.Name} {remote.Url} -c key=value ...'");
        if (uuid is null)
        {
            uuid = Guid.NewGuid().ToString();
            var fields = new Dictionary<string, string>
            {
                ["name"] = remote.Name, ["type"] = remote.Backend, ["encryption"] = "none",
                [remote.Backend == "rsync" ? "rsyncurl" : "url"] = remote.Url.Replace(' ', '_'),
            };
            await branch.ChangeAsync(AnnexBranch.RemoteLog.FileName, old => AnnexBranch.RemoteLog.With(old, uuid, fields, clock), ct);
            await branch.SetDescriptionAsync(uuid, remote.Name, ct);
        }
        Remember(remote.Name, uuid);
        return uuid;
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
