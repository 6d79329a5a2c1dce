using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Sync;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Content;

/// <summary>
/// `tether drop`: removes local content only when at least numcopies other copies are verified present
/// right now (asked of the remotes themselves, not just read from the log).
/// </summary>
public sealed class ContentDropper(AnnexRepository repo, TimeProvider clock)
{
    public async Task<DropResult> DropAsync(Key key, IReadOnlyList<RemoteEndpoint> remotes, int numCopies, CancellationToken ct)
    {
        var store = new ObjectStore(repo);
        if (!store.Contains(key)) return new DropResult(true, "content not present here");
        using var branch = new GitAnnexBranch(repo, clock);
        var logged = branch.PresentUuids(key);
        var verified = new List<string>();
        foreach (var remote in remotes.Where(r => r.Content is not null && r.Uuid is not null && logged.Contains(r.Uuid)))
        {
            try { if (await remote.Content!.HasKeyAsync(key, ct)) verified.Add(remote.Name); }
            catch (Exception e) when (e is IOException or InvalidOperationException) { remote.Errors.Add(e.Message); }
            if (verified.Count >= numCopies) break;
        }
        if (verified.Count < numCopies)
            return new DropResult(false,
                $"only {verified.Count} other verified cop{(verified.Count == 1 ? "y" : "ies")} ({string.Join(", ", verified.DefaultIfEmpty("none"))}); numcopies is {numCopies}. Copy it to a remote first (tether sync)");
        store.Remove(key);
        await branch.RecordLocationAsync(key, repo.RequireUuid(), LocationStatus.Absent, ct);
        await branch.CommitAsync("update", ct);
        return new DropResult(true, $"dropped (copies verified in {string.Join(", ", verified)})");
    }
}

public sealed record DropResult(bool Dropped, string Message);
