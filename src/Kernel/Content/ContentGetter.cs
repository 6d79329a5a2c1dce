using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Sync;

namespace Tether.Kernel.Content;

/// <summary>`tether get`: fetches the content of annexed files from the cheapest remote that has it, verified.</summary>
public sealed class ContentGetter(AnnexRepository repo, TimeProvider clock, ILogger log)
{
    /// <summary>Returns the paths whose content could not be got.</summary>
    public async Task<IReadOnlyList<string>> GetAsync(IReadOnlyList<AnnexedFiles.Entry> files, IReadOnlyList<RemoteEndpoint> remotes, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        var transfers = new ContentTransfers(repo, branch, repo.RequireUuid(), log);
        var missing = new List<string>();
        foreach (var file in files)
        {
            var holders = branch.PresentUuids(file.Key);
            var candidates = remotes.Where(r => r.Uuid is not null && holders.Contains(r.Uuid)).Concat(remotes).Distinct();
            if (!await transfers.DownloadAsync(file.Key, candidates, ct)) missing.Add(file.Path);
        }
        await branch.CommitAsync("update", ct);
        return missing;
    }
}
