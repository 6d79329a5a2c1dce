using LibGit2Sharp;
using Tether.Kernel.AnnexBranch;

namespace Tether.Kernel.Repositories;

/// <summary>
/// Makes a folder a git repository with an annex UUID, exactly as `git annex init` records it:
/// annex.uuid and annex.version in the git config, the description in uuid.log on the git-annex branch.
/// Idempotent: an existing UUID is kept; the description changes only when one is given.
/// </summary>
public sealed class RepositoryInitializer(TimeProvider clock)
{
    public const string AnnexVersion = "10";
    public const string DefaultBranch = "main";

    public async Task<AnnexRepository> InitializeAsync(string path, string? description, bool bare, CancellationToken ct)
    {
        Directory.CreateDirectory(path);
        var gitDir = bare ? path : Path.Combine(path, ".git");
        if (!Repository.IsValid(gitDir))
        {
            Repository.Init(path, bare);
            using var fresh = new Repository(gitDir);
            fresh.Refs.UpdateTarget("HEAD", "refs/heads/" + DefaultBranch);
        }
        var annex = AnnexRepository.OpenExact(path);
        var existingUuid = annex.ReadUuid();
        var uuid = existingUuid ?? Guid.NewGuid().ToString();
        using (var git = annex.OpenGit())
        {
            if (existingUuid is null) git.Config.Set("annex.uuid", uuid);
            if (git.Config.Get<string>("annex.version") is null) git.Config.Set("annex.version", AnnexVersion);
            if (!bare) Git.GitAnnexFilterConfig.Ensure(git);
            Git.GitIdentity.EnsureConfigured(git);
        }
        using var branch = new GitAnnexBranch(annex, clock);
        branch.EnsureExists();
        var known = branch.Descriptions().GetValueOrDefault(uuid);
        if (description is not null && known != description || known is null)
            await branch.SetDescriptionAsync(uuid, description ?? DefaultDescription(annex), ct);
        await branch.CommitAsync("update", ct);
        if (!bare)
        {
            ExcludeFromGit(annex, "/.tether/");
            Git.ContentFilters.EnsureOnlyAnnexFilter(annex);
        }
        return annex;
    }

    /// <summary>git-annex's default description: user@host:path.</summary>
    public static string DefaultDescription(AnnexRepository repo) =>
        $"{Environment.UserName}@{Environment.MachineName}:{repo.DisplayPath}";

    private static void ExcludeFromGit(AnnexRepository repo, string pattern)
    {
        var exclude = Path.Combine(repo.GitDir, "info", "exclude");
        Directory.CreateDirectory(Path.GetDirectoryName(exclude)!);
        var lines = File.Exists(exclude) ? File.ReadAllLines(exclude) : [];
        if (lines.Contains(pattern)) return;
        File.AppendAllText(exclude, (lines.Length > 0 && File.ReadAllText(exclude) is { Length: > 0 } t && !t.EndsWith('\n') ? "\n" : "") + pattern + "\n");
    }
}
