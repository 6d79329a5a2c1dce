using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Remotes;
using Tether.Kernel.Transfers;

namespace Tether.Kernel.Content;

/// <summary>`tether get`: fetches the content of annexed files from the cheapest remote that has it, verified.</summary>
public sealed class ContentGetter(AnnexRepository repo, TimeProvider clock, ILogger log)
{
    /// <summary>Shown each download (progress bars); none by default.</summary>
    public Transfers.ITransferObserver? Observer { get; init; }

    /// <summary>Returns the paths whose content could not be got, each with the reason.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(IReadOnlyList<AnnexedFiles.Entry> files, IReadOnlyList<RemoteEndpoint> remotes, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        var transfers = new ContentTransfers(repo, branch, repo.RequireUuid(), clock, log);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var holders = branch.PresentUuids(file.Key);
            var candidates = remotes.Where(r => r.Uuid is not null && holders.Contains(r.Uuid)).Concat(remotes).Distinct();
            using var progress = Observer?.Begin(new Transfers.TransferRequest(Transfers.TransferDirection.Download, file.Key, file.Path, null), "cheapest remote that has it");
            var busyBefore = transfers.Busy;
            var got = await transfers.DownloadAsync(file.Key, candidates, ct, progress, file.Path);
            progress?.Finish(got);
            if (!got) missing[file.Path] = transfers.Busy > busyBefore
                ? "another process is fetching it (or a remote is sending it) right now; try again later"
                : transfers.LastDownloadError ?? "no reachable remote has it";
        }
        await branch.CommitAsync("update", ct);
        return missing;
    }
}
