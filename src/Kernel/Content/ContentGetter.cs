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

    /// <summary>Where each download's transfer events (started, finished or failed) are raised, as the daemon does; none by default.</summary>
    public Events.EventBus? Events { get; init; }

    /// <summary>Returns the paths whose content could not be got, each with the reason.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(IReadOnlyList<AnnexedFiles.Entry> files, IReadOnlyList<RemoteEndpoint> remotes, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        var transfers = new ContentTransfers(repo, branch, repo.RequireUuid(), clock, log);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var holders = branch.PresentUuids(file.Key);
            var candidates = remotes.Where(r => r.Uuid is not null && holders.Contains(r.Uuid)).Concat(remotes).Distinct().ToList();
            var from = candidates.FirstOrDefault(r => r.Uuid is not null && holders.Contains(r.Uuid))?.Name ?? "a remote that has it"; // tried first
            using var progress = Observer?.Begin(new Transfers.TransferRequest(Transfers.TransferDirection.Download, file.Key, file.Path, null), from);
            var busyBefore = transfers.Busy;
            var needed = !new ObjectStore(repo).Contains(file.Key);
            if (needed) Raise("started", file, true, null);
            var got = await transfers.DownloadAsync(file.Key, candidates, ct, progress, file.Path);
            progress?.Finish(got);
            if (needed) Raise(got ? "finished" : "failed", file, got, got ? null : transfers.LastDownloadError ?? "no reachable remote has it");
            if (!got) missing[file.Path] = transfers.Busy > busyBefore
                ? "another process is fetching it (or a remote is sending it) right now; try again later"
                : transfers.LastDownloadError ?? "no reachable remote has it";
        }
        await branch.CommitAsync("update", ct);
        return missing;
    }

    private void Raise(string phase, AnnexedFiles.Entry file, bool ok, string? error) =>
        Events?.Publish(new Events.TransferEvent(clock.GetUtcNow(), "download", phase, file.Key.ToString(), file.Path, "any",
            phase == "finished" && ok ? file.Key.Size ?? 0 : 0, error));
}
