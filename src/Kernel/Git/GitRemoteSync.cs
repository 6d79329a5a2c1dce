using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Daemon;
using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Repositories;
using Tether.Kernel.Coordination;
using Tether.Kernel.Remotes;
using Tether.Kernel.ContentRemoteGit;

namespace Tether.Kernel.Git;

/// <summary>
/// The git half of `git annex sync` for one remote: fetch; merge its synced/&lt;branch&gt; and &lt;branch&gt;;
/// union-merge its git-annex branch; push &lt;branch&gt; to synced/&lt;branch&gt; and the git-annex branch
/// (and the branches themselves to a bare remote, whose branch nobody has checked out).
/// A refused push is answered with fetch, merge, push again.
/// </summary>
/// <remarks>
/// In the daemon, merges hold the <see cref="RepositoryGate"/> (so they never race the committer) and
/// first commit whatever the work tree holds (<see cref="BeforeMerge"/>), so a merge never meets
/// uncommitted local changes.
/// </remarks>
public sealed class GitRemoteSync(AnnexRepository repo, GitTransport transport, BranchMerger merger, TimeProvider clock, ILogger log, RepositoryGate? gate = null)
{
    /// <summary>Run under the gate before merging; the daemon commits pending work-tree changes here.</summary>
    public Func<CancellationToken, Task>? BeforeMerge { get; init; }

    /// <summary>The git level of a content-only remote with <c>git: bundles</c>: git-remote-annex's bundles and manifest.</summary>
    public ContentRemoteGitSync Bundles { get; init; } = new(repo, log);

    private readonly Lock _syncedBranchLock = new();

    public string CurrentBranch()
    {
        using var git = repo.OpenGit();
        return git.Head.FriendlyName;
    }

    /// <summary>Fetches and merges what the remote has. Returns the merges that changed our branch.</summary>
    public async Task<IReadOnlyList<MergeOutcome>> PullAsync(RemoteEndpoint remote, CancellationToken ct)
    {
        IReadOnlyList<(string RefName, string RemoteRef)> tips = [];
        if (!remote.HasGit)
        {
            if (!ContentRemoteGitSync.Carries(remote)) return [];
            tips = (await Bundles.FetchAsync(remote, ct)).ExtraTips;
        }
        else await transport.FetchAsync(remote.Name, ct);
        using var entered = gate is null ? null : await gate.EnterAsync(ct);
        var branchName = CurrentBranch();
        var theirs = MainLineOf(remote.Name, branchName);
        var outcomes = new List<MergeOutcome>();
        string[] received = [$"refs/remotes/{remote.Name}/synced/{branchName}", $"refs/remotes/{remote.Name}/{branchName}",
            $"refs/remotes/{remote.Name}/synced/{theirs}", $"refs/remotes/{remote.Name}/{theirs}"];
        string[] mainLines = [branchName, $"synced/{branchName}", theirs, $"synced/{theirs}"];
        // Tips two bundles' pushes at once left aside (content remotes only): merged too, so neither push is lost.
        received = [.. received, .. tips.Where(t => mainLines.Contains(t.RemoteRef)).Select(t => t.RefName)];
        if (BeforeMerge is not null && AnyToMerge(received)) await BeforeMerge(ct);
        foreach (var refName in received.Distinct(StringComparer.Ordinal))
        {
            var outcome = merger.Merge(refName);
            if (outcome.Changed) outcomes.Add(outcome);
        }
        using var branch = new GitAnnexBranch(repo, clock, log);
        branch.UnionMerge([$"refs/remotes/{remote.Name}/git-annex", $"refs/remotes/{remote.Name}/synced/git-annex",
            .. tips.Where(t => t.RemoteRef is "git-annex" or "synced/git-annex").Select(t => t.RefName)]);
        return outcomes;
    }

    /// <summary>
    /// Merges what peers pushed into this repository (our own refs/heads/synced/&lt;branch&gt; and
    /// synced/git-annex), as `git annex sync` does, so a node that only receives still gets the changes.
    /// </summary>
    public async Task<IReadOnlyList<MergeOutcome>> MergeReceivedAsync(CancellationToken ct)
    {
        using var entered = gate is null ? null : await gate.EnterAsync(ct);
        List<string> names;
        using (var git = repo.OpenGit()) names = [.. PeerMainLine.AllNames(git, git.Head.FriendlyName)];
        if (BeforeMerge is not null && AnyToMerge(names.Select(name => $"refs/heads/synced/{name}"))) await BeforeMerge(ct);
        var outcomes = names.Select(name => merger.Merge($"refs/heads/synced/{name}")).Where(o => o.Changed).ToList();
        using var branch = new GitAnnexBranch(repo, clock, log);
        branch.UnionMerge(["refs/heads/synced/git-annex"]);
        return outcomes;
    }

    /// <summary>
    /// True when one of the refs holds commits our branch lacks. Only then does a merge follow, so only then must the
    /// work tree be committed first: that full scan was made on every pull, even of nothing (at 100,000 files, 1.7 s at
    /// each daemon start). The branch only grows meanwhile (we hold the gate), so a ref merged now stays merged.
    /// </summary>
    private bool AnyToMerge(IEnumerable<string> refNames)
    {
        using var git = repo.OpenGit();
        var head = git.Head.Tip;
        foreach (var name in refNames.Distinct(StringComparer.Ordinal))
        {
            if (git.Refs[name]?.ResolveToDirectReference()?.Target is not LibGit2Sharp.Commit theirs) continue;
            if (head is null || (head.Id != theirs.Id && git.ObjectDatabase.FindMergeBase(head, theirs)?.Id != theirs.Id)) return true;
        }
        return false;
    }

    /// <summary>The remote's main line as its fetched refs name it (see <see cref="PeerMainLine"/>).</summary>
    public string MainLineOf(string remote, string ours)
    {
        using var git = repo.OpenGit();
        return PeerMainLine.For(git, remote, ours);
    }

    /// <summary>
    /// Points refs/heads/synced/&lt;branch&gt; at our branch, as git-annex does before pushing, but only
    /// forward: when a peer has pushed something there that our branch lacks, it is left for the merger
    /// (overwriting it would drop what the peer sent). Serialised: remote workers call this in parallel.
    /// </summary>
    public void UpdateSyncedBranch()
    {
        lock (_syncedBranchLock)
        {
            using var git = repo.OpenGit();
            if (git.Head.Tip is not { } tip) return;
            var name = $"refs/heads/synced/{git.Head.FriendlyName}";
            if (git.Refs[name]?.ResolveToDirectReference()?.Target is Commit current)
            {
                if (current.Id == tip.Id) return;
                if (git.ObjectDatabase.FindMergeBase(current, tip)?.Id != current.Id)
                {
                    log.LogDebug("{Ref} holds commits not merged yet; leaving it for the merger", name);
                    return;
                }
            }
            git.Refs.Add(name, tip.Id, "tether: synced", allowOverwrite: true);
        }
    }

    public async Task PushAsync(RemoteEndpoint remote, bool remoteIsBare, CancellationToken ct)
    {
        if (!remote.HasGit)
        {
            if (ContentRemoteGitSync.Carries(remote)) await PushBundlesAsync(remote, ct);
            return;
        }
        var refSpecs = PushRefSpecs(remoteIsBare, remote.Name);
        if (refSpecs.Count == 0) return;
        try
        {
            await transport.PushAsync(remote.Name, refSpecs, ct, remote.Remote.IsLocalPath);
        }
        catch (PushRejectedException e)
        {
            log.LogInformation("{Remote} refused our push ({Reason}); pulling and pushing again", remote.Name, e.Message);
            await PullAsync(remote, ct);
            UpdateSyncedBranch();
            await transport.PushAsync(remote.Name, PushRefSpecs(remoteIsBare, remote.Name), ct, remote.Remote.IsLocalPath);
        }
    }

    /// <summary>Pushes only the git-annex branch (after content moved and location logs changed).</summary>
    public async Task PushAnnexBranchAsync(RemoteEndpoint remote, bool remoteIsBare, CancellationToken ct)
    {
        if (!remote.HasGit)
        {
            if (ContentRemoteGitSync.Carries(remote)) await PushBundlesAsync(remote, ct);
            return;
        }
        var specs = new List<string> { $"{GitAnnexBranch.RefName}:refs/heads/synced/git-annex" };
        if (remoteIsBare) specs.Add($"{GitAnnexBranch.RefName}:{GitAnnexBranch.RefName}");
        try { await transport.PushAsync(remote.Name, specs, ct, remote.Remote.IsLocalPath); }
        catch (PushRejectedException)
        {
            await PullAsync(remote, ct);
            await transport.PushAsync(remote.Name, specs, ct, remote.Remote.IsLocalPath);
        }
    }

    /// <summary>
    /// How many times a content remote's push is tried, with fetch and merge between: a push there takes seconds (several
    /// uploads, gpg), so a node whose daemon keeps pushing can win the race more than once. A push lost for good waits for
    /// the push retry interval, deaf to the remote meanwhile: two daemons starting together lost it (EncryptedBundleDaemonTests).
    /// </summary>
    public int BundlePushAttempts { get; init; } = 5;

    /// <summary>A content remote's push; one it is not up to date for is answered with fetch, merge, push again.</summary>
    private async Task PushBundlesAsync(RemoteEndpoint remote, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Bundles.PushAsync(remote, ct);
                return;
            }
            catch (PushRejectedException e) when (attempt < BundlePushAttempts)
            {
                log.LogInformation("{Remote} has bundles newer than ours ({Reason}); fetching and pushing again (attempt {Attempt} of {Attempts})",
                    remote.Name, e.Message, attempt + 1, BundlePushAttempts);
                await PullAsync(remote, ct);
                UpdateSyncedBranch();
            }
        }
    }

    private List<string> PushRefSpecs(bool remoteIsBare, string remote)
    {
        using var git = repo.OpenGit();
        var specs = new List<string>();
        var branchName = git.Head.FriendlyName;
        if (git.Head.Tip is not null)
        {
            specs.Add($"refs/heads/{branchName}:refs/heads/synced/{branchName}");
            var theirs = PeerMainLine.For(git, remote, branchName);
            if (theirs != branchName) specs.Add($"refs/heads/{branchName}:refs/heads/synced/{theirs}"); // what the peer merges into its own
            // A non-bare remote has its branch checked out: only git-annex's synced/ branch may be updated there.
            if (remoteIsBare) specs.Add($"refs/heads/{branchName}:refs/heads/{branchName}");
        }
        if (git.Refs[GitAnnexBranch.RefName] is not null)
        {
            specs.Add($"{GitAnnexBranch.RefName}:refs/heads/synced/git-annex");
            if (remoteIsBare) specs.Add($"{GitAnnexBranch.RefName}:{GitAnnexBranch.RefName}");
        }
        return specs;
    }
}
