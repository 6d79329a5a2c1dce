using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Kernel.Remotes;

namespace Tether.Kernel.Content;

/// <summary>
/// `tether drop`: removes local content only when at least numcopies other copies are verified present
/// right now (asked of the remotes themselves, not just read from the log). Copies are counted by repository UUID:
/// a remote that is this repository (its own path, a symlink to it) counts nothing, two remotes on one repository count once.
/// </summary>
public sealed class ContentDropper(AnnexRepository repo, TimeProvider clock)
{
    /// <summary>Where each drop is told, as a <c>transfer</c> event with direction <c>drop</c> (remote <c>here</c>): finished or failed with why.</summary>
    public Events.EventBus? Events { get; init; }

    /// <param name="unlockedPath">The unlocked file holding this content, if any: it becomes its pointer file again first.</param>
    /// <param name="file">The file named in the event (the unlocked path, or the path the user gave).</param>
    public async Task<DropResult> DropAsync(Key key, IReadOnlyList<RemoteEndpoint> remotes, int numCopies, CancellationToken ct, string? unlockedPath = null,
        string? file = null)
    {
        var result = await DropHereAsync(key, remotes, numCopies, ct, unlockedPath);
        if (result.Removed)
            Events?.Publish(new Events.TransferEvent(clock.GetUtcNow(), "drop", "finished", key.ToString(), file ?? unlockedPath ?? "", "here", key.Size ?? 0, null));
        else if (!result.Dropped)
            Events?.Publish(new Events.TransferEvent(clock.GetUtcNow(), "drop", "failed", key.ToString(), file ?? unlockedPath ?? "", "here", 0, result.Message));
        return result;
    }

    private async Task<DropResult> DropHereAsync(Key key, IReadOnlyList<RemoteEndpoint> remotes, int numCopies, CancellationToken ct, string? unlockedPath)
    {
        var store = new ObjectStore(repo);
        if (!store.Contains(key)) return new DropResult(true, "content not present here");
        using var branch = new GitAnnexBranch(repo, clock);
        var logged = branch.PresentUuids(key);
        var verified = new List<string>();
        var here = repo.RequireUuid();
        var counted = new HashSet<string> { here }; // a copy is a repository: ours never counts, nor one twice
        foreach (var remote in remotes.Where(r => r.Content is not null && r.Uuid is not null && logged.Contains(r.Uuid)))
        {
            if (counted.Contains(remote.Uuid!)) continue;
            try
            {
                if (await remote.Content!.HasKeyAsync(key, ct) && counted.Add(remote.Uuid!)) verified.Add(remote.Name);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException) { remote.Errors.Add(e.Message); }
            if (verified.Count >= numCopies) break;
        }
        if (verified.Count < numCopies)
            return new DropResult(false,
                $"only {verified.Count} other verified cop{(verified.Count == 1 ? "y" : "ies")} ({string.Join(", ", verified.DefaultIfEmpty("none"))}); numcopies is {numCopies}." +
                string.Concat(remotes.Where(r => r.Uuid == here).Select(r => $" Remote '{r.Name}' is this repository, not a copy.")) +
                " Copy it to a remote first (tether sync)");
        if (unlockedPath is not null && repo.WorkTree is not null && UnlockedContent.HoldsContentOf(repo.WorkPath(unlockedPath), key)
            && !UnlockedContent.Depopulate(repo, unlockedPath, key))
            return new DropResult(false, $"{unlockedPath} changed while it was being dropped; kept");
        store.Remove(key);
        await branch.RecordLocationAsync(key, here, LocationStatus.Absent, ct);
        await branch.CommitAsync("update", ct);
        return new DropResult(true, $"dropped (copies verified in {string.Join(", ", verified)})") { Removed = true };
    }
}

/// <param name="Dropped">The content is not here now (removed, or was not here).</param>
public sealed record DropResult(bool Dropped, string Message)
{
    /// <summary>This call removed it.</summary>
    public bool Removed { get; init; }
}
