using System.Threading.Channels;
using Tether.Kernel.Git;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Coordination;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Daemon;
using Tether.Kernel.Repositories;
using Tether.Kernel.Merging;

namespace Tether.Kernel.Threads;

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
    ChannelWriter<Arrival> arrivals,
    TimeProvider clock,
    ILogger log,
    SyncPause? pause = null)
{
    private readonly Doorbell _doorbell = new();

    /// <summary>Called from the ref watcher; cheap and never blocks.</summary>
    public void RefsChanged()
    {
        _doorbell.Ring();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var watcher = new ReceivedRefsWatcher(repo, RefsChanged, log);
        RefsChanged(); // whatever was pushed while we were not running
        while (!ct.IsCancellationRequested)
        {
            if (!await _doorbell.WaitAsync(ct)) break;
            if (pause?.IsPaused == true) continue; // the resume rings again
            try { await MergeReceivedAsync(ct); }
            catch (Exception e) when (e is IOException or LibGit2Sharp.LibGit2SharpException or UnauthorizedAccessException or InvalidOperationException)
            {
                log.LogError(e, "Merging what was pushed to us failed");
                await StaleGitLocks.RemoveAsync(repo, clock, log, CancellationToken.None); // a lock left behind would fail every later merge
                RingAgainSoon(ct); // e.g. the work tree could not be committed first: what was received is merged a little later
            }
        }
    }

    private void RingAgainSoon(CancellationToken ct) => RingAfterAsync(TimeSpan.FromSeconds(1), ct).Forget(log, "Ringing the merger again");

    private async Task RingAfterAsync(TimeSpan delay, CancellationToken ct)
    {
        await Task.Delay(delay, clock, ct);
        RefsChanged();
    }

    private async Task MergeReceivedAsync(CancellationToken ct)
    {
        IReadOnlyList<MergeOutcome> merges;
        bool annexChanged;
        using (await gate.EnterAsync(ct))
        {
            var (branchRefs, annexRefs) = ReceivedRefs();
            var outcomes = new List<MergeOutcome>();
            foreach (var refName in branchRefs.Where(NeedsMerge))
                if (await MergeAsync(refName, ct) is { Changed: true } outcome) outcomes.Add(outcome);
            merges = outcomes;
            using var branch = new GitAnnexBranch(repo, clock, log);
            annexChanged = branch.UnionMerge(annexRefs);
        }
        if (merges.Count > 0 || annexChanged)
        {
            log.LogInformation("Merged what was pushed to us ({Merges} branch merge(s), git-annex branch {Annex})", merges.Count, annexChanged ? "updated" : "unchanged");
            await arrivals.WriteAsync(new ChangesReceived(null, merges, annexChanged), ct);
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

    /// <summary>Our synced/&lt;branch&gt; and every remote-tracking &lt;branch&gt; and synced/&lt;branch&gt;; the git-annex branches likewise.</summary>
    private (List<string> Branch, List<string> Annex) ReceivedRefs()
    {
        using var git = repo.OpenGit();
        var branchName = git.Head.FriendlyName;
        var mainLines = PeerMainLine.AllNames(git, branchName);
        var names = git.Refs.Present().Select(r => r.CanonicalName).ToList();
        bool IsReceived(string name, string branch) =>
            name == $"refs/heads/synced/{branch}"
            || (name.StartsWith("refs/remotes/", StringComparison.Ordinal) && (name.EndsWith($"/synced/{branch}", StringComparison.Ordinal)
                || (name.EndsWith($"/{branch}", StringComparison.Ordinal) && name.Count(c => c == '/') == 3)));
        return (names.Where(n => mainLines.Any(line => IsReceived(n, line))).ToList(), names.Where(n => IsReceived(n, GitAnnexBranch.BranchName)).ToList());
    }
}
