using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Daemon;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// The Merger thread: when a peer pushes into us (see <see cref="ReceivedRefsWatcher"/>), merges our
/// synced/&lt;branch&gt; into the branch (conflicts kept as variants) and union-merges synced/git-annex,
/// then reports what arrived so it is pushed on to the other remotes and its content fetched.
/// </summary>
public sealed class Merger(
    AnnexRepository repo,
    BranchMerger merger,
    RepositoryGate gate,
    Func<CancellationToken, Task> beforeMerge,
    Func<string?, IReadOnlyList<MergeOutcome>, bool, Task> received,
    TimeProvider clock,
    ILogger log)
{
    private readonly SemaphoreSlim _doorbell = new(0, 1);

    /// <summary>Called from the ref watcher; cheap and never blocks.</summary>
    public void RefsChanged()
    {
        try { _doorbell.Release(); } catch (SemaphoreFullException) { }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var watcher = new ReceivedRefsWatcher(repo, RefsChanged, log);
        RefsChanged(); // whatever was pushed while we were not running
        while (!ct.IsCancellationRequested)
        {
            try { await _doorbell.WaitAsync(ct); }
            catch (OperationCanceledException) { break; }
            try { await MergeReceivedAsync(ct); }
            catch (Exception e) when (e is IOException or LibGit2Sharp.LibGit2SharpException or UnauthorizedAccessException or InvalidOperationException)
            {
                log.LogError(e, "Merging what was pushed to us failed");
            }
        }
    }

    private async Task MergeReceivedAsync(CancellationToken ct)
    {
        IReadOnlyList<MergeOutcome> merges;
        bool annexChanged;
        using (await gate.EnterAsync(ct))
        {
            var branchName = CurrentBranch();
            var syncedRef = $"refs/heads/synced/{branchName}";
            var outcome = NeedsMerge(syncedRef) ? await MergeAsync(syncedRef, ct) : null;
            merges = outcome is { Changed: true } ? [outcome] : [];
            using var branch = new GitAnnexBranch(repo, clock);
            annexChanged = branch.UnionMerge(["refs/heads/synced/git-annex"]);
        }
        if (merges.Count > 0 || annexChanged)
        {
            log.LogInformation("Merged what was pushed to us ({Merges} branch merge(s), git-annex branch {Annex})", merges.Count, annexChanged ? "updated" : "unchanged");
            await received(null, merges, annexChanged);
        }
    }

    private async Task<MergeOutcome> MergeAsync(string syncedRef, CancellationToken ct)
    {
        await beforeMerge(ct);
        return merger.Merge(syncedRef);
    }

    /// <summary>Cheap check before committing and merging: is the synced ref ahead of or beside our branch?</summary>
    private bool NeedsMerge(string syncedRef)
    {
        using var git = repo.OpenGit();
        if (git.Refs[syncedRef]?.ResolveToDirectReference()?.Target is not LibGit2Sharp.Commit theirs) return false;
        var head = git.Head.Tip;
        return head is null || (head.Id != theirs.Id && git.ObjectDatabase.FindMergeBase(head, theirs)?.Id != theirs.Id);
    }

    private string CurrentBranch()
    {
        using var git = repo.OpenGit();
        return git.Head.FriendlyName;
    }
}
