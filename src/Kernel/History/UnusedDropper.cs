using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Content;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.History;

/// <summary>
/// `tether drop --unused` (git-annex's unused + dropunused) under the retention rule: a replaced or deleted version is
/// kept in at least one copy in the network for <c>history.keep</c>. Within that window its copy here goes only when
/// numcopies (at least one) other copies are verified present right now; once the window has passed it is history
/// past keeping and goes (the last copy too: `tether log` then says "gone"). With <c>forever</c> the window never passes.
/// </summary>
public sealed class UnusedDropper(AnnexRepository repo, TimeProvider clock)
{
    /// <summary>Where each drop is told (see <see cref="ContentDropper.Events"/>).</summary>
    public Events.EventBus? Events { get; init; }

    /// <param name="keep">history.keep; null is forever.</param>
    /// <param name="olderThan">Only keys unused at least this long are looked at.</param>
    public async Task<IReadOnlyList<DropDecision>> DropAsync(IReadOnlyList<UnusedKey> unused, TimeSpan? keep, TimeSpan olderThan,
        IReadOnlyList<RemoteEndpoint> remotes, int numCopies, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var decisions = new List<DropDecision>();
        var dropper = new ContentDropper(repo, clock); // a version kept for history is no failure: only removals are told
        foreach (var key in unused)
        {
            ct.ThrowIfCancellationRequested();
            var age = now - key.UnusedSince;
            if (age < olderThan) continue;
            if (keep is { } window && age >= window)
            {
                await DropPastRetentionAsync(key, ct);
                decisions.Add(new DropDecision(key, true, $"dropped: unused for {Days(age)}, past history.keep ({Days(window)})"));
                continue;
            }
            var result = await dropper.DropAsync(key.Key, remotes, Math.Max(1, numCopies), ct);
            if (result.Removed) Dropped(key);
            decisions.Add(new DropDecision(key, result.Dropped, result.Dropped
                ? $"dropped here: {result.Message}"
                : $"kept: unused for {Days(age)}, within history.keep ({(keep is null ? "forever" : Days(keep.Value))}) and {result.Message}"));
        }
        return decisions;
    }

    private async Task DropPastRetentionAsync(UnusedKey key, CancellationToken ct)
    {
        new ObjectStore(repo).Remove(key.Key);
        using var branch = new GitAnnexBranch(repo, clock);
        await branch.RecordLocationAsync(key.Key, repo.RequireUuid(), LocationStatus.Absent, ct);
        await branch.CommitAsync("update", ct);
        Dropped(key);
    }

    private void Dropped(UnusedKey key) =>
        Events?.Publish(new Events.TransferEvent(clock.GetUtcNow(), "drop", "finished", key.Key.ToString(), key.LastPath ?? "", "here", key.Size, null));

    private static string Days(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days" : $"{span.TotalHours:0.#} hours";
}
