using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>Merges a received ref into the checked-out branch; conflicts never stop it (see <see cref="ConflictResolver"/>).</summary>
public sealed class BranchMerger
{
    public const string ConflictCommitMessage = "git-annex automatic merge conflict fix";

    private readonly AnnexRepository _repo;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;

    public BranchMerger(AnnexRepository repo, TimeProvider clock, ILogger log)
    {
        _repo = repo; _clock = clock; _log = log;
    }

    /// <summary>For tests: runs after libgit2 has checked out the merge, before conflicts are resolved (a user saving then).</summary>
    internal Action? AfterCheckout { get; init; }

    /// <summary>For tests: takes the fallback path for conflicts (libgit2's merge, then <see cref="ConflictResolver"/>).</summary>
    internal bool ConflictsThroughLibgit2 { get; init; }

    public MergeOutcome Merge(string refName)
    {
        ContentFilters.EnsureOnlyAnnexFilter(_repo);
        using var git = _repo.OpenGit();
        var theirs = git.Refs[refName]?.ResolveToDirectReference()?.Target as Commit;
        var none = new MergeOutcome(MergeKind.UpToDate, refName, []);
        if (theirs is null) return none;
        var head = git.Head.Tip;
        if (head is not null && (head.Id == theirs.Id || git.ObjectDatabase.FindMergeBase(head, theirs)?.Id == theirs.Id)) return none;
        ReceivedTreeCheck.EnsureSafe(git, head?.Tree, theirs, refName);
        if (head is null) return AdoptIntoUnbornBranch(git, theirs, refName);

        InterruptedMerge.Undo(git, _log);
        try { return MergeInto(git, head, theirs, refName); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LibGit2SharpException && e is not CheckoutConflictException)
        {
            InterruptedMerge.Undo(git, _log); // never leave a conflicted index behind: it would stop every later commit
            throw;
        }
    }

    /// <summary>For tests: runs just before the merge updates each work-tree path (a user saving then).</summary>
    internal Action<string>? BeforeEachPath { get; init; }

    /// <summary>For tests: runs just after the merge swaps a path, before it looks at what came out (a kill then).</summary>
    internal Action<string>? AfterEachSwap { get; init; }

    private MergeOutcome MergeInto(Repository git, Commit head, Commit theirs, string refName)
    {
        if (git.ObjectDatabase.FindMergeBase(head, theirs)?.Id == head.Id)
        {
            WorkTreeUpdate.Apply(git, _repo, head.Tree, theirs, _log, BeforeEachPath, AfterEachSwap);
            MoveBranch(git, theirs, $"merge {ShortName(refName)}: Fast-forward");
            _log.LogInformation("Fast-forwarded to {Ref}", refName);
            return new MergeOutcome(MergeKind.FastForward, refName, []);
        }
        var signature = GitIdentity.For(git, _clock);
        var clean = git.ObjectDatabase.MergeCommits(head, theirs, new MergeTreeOptions());
        if (clean.Status == MergeTreeStatus.Succeeded)
        {
            var tree = MergedLinks.RepointIn(git, head.Tree, clean.Tree);
            var commit = git.ObjectDatabase.CreateCommit(signature, signature, $"merge {ShortName(refName)}", tree, [head, theirs], prettifyMessage: false);
            WorkTreeUpdate.Apply(git, _repo, head.Tree, commit, _log, BeforeEachPath, AfterEachSwap);
            MoveBranch(git, commit, $"merge {ShortName(refName)}");
            _log.LogInformation("Merged {Ref}", refName);
            return new MergeOutcome(MergeKind.Merged, refName, []);
        }
        if (!ConflictsThroughLibgit2 && ConflictMerge.TryMerge(git, head, theirs, signature) is { } conflicted)
        {
            var tree = MergedLinks.RepointIn(git, head.Tree, conflicted.Tree);
            var message = $"{ConflictCommitMessage}\n\n{History.CommitNode.Trailer}: {_repo.ReadUuid()}\n"; // tether log names the merging node
            var commit = git.ObjectDatabase.CreateCommit(signature, signature, message, tree, [head, theirs], prettifyMessage: false);
            WorkTreeUpdate.Apply(git, _repo, head.Tree, commit, _log, BeforeEachPath, AfterEachSwap);
            MoveBranch(git, commit, $"merge {ShortName(refName)}: conflicts resolved");
            LogConflicts(refName, conflicted.Conflicts);
            return new MergeOutcome(MergeKind.MergedWithConflicts, refName, conflicted.Conflicts);
        }
        return MergeWithConflicts(git, head, theirs, refName, signature);
    }

    private void LogConflicts(string refName, IReadOnlyList<ResolvedConflict> conflicts) =>
        _log.LogWarning("Merged {Ref} with {Count} conflict(s), all versions kept: {Paths}", refName, conflicts.Count,
            string.Join(", ", conflicts.Select(c => $"{c.Path} → {string.Join(" + ", c.KeptAs)}")));

    /// <summary>The work tree and index are updated first, the branch last: a kill in between leaves changes the committer commits.</summary>
    private static void MoveBranch(Repository git, Commit target, string reflogMessage) =>
        git.Refs.UpdateTarget(git.Refs[git.Head.CanonicalName], target.Id, reflogMessage);

    /// <summary>The fallback when <see cref="ConflictMerge"/> does not converge: libgit2's merge and checkout, then <see cref="ConflictResolver"/>.</summary>
    private MergeOutcome MergeWithConflicts(Repository git, Commit head, Commit theirs, string refName, Signature signature)
    {
        var none = new MergeOutcome(MergeKind.UpToDate, refName, []);
        var result = git.Merge(theirs, signature, new MergeOptions
        {
            CommitOnSuccess = false,
            FailOnConflict = false,
            FileConflictStrategy = CheckoutFileConflictStrategy.Normal,
        });
        AfterCheckout?.Invoke();
        switch (result.Status)
        {
            case MergeStatus.UpToDate:
                return none;
            case MergeStatus.FastForward:
                _log.LogInformation("Fast-forwarded to {Ref}", refName);
                return new MergeOutcome(MergeKind.FastForward, refName, []);
            case MergeStatus.NonFastForward:
                MergedLinks.Repoint(git, _repo, head);
                git.Commit($"merge {ShortName(refName)}", signature, signature);
                _log.LogInformation("Merged {Ref}", refName);
                return new MergeOutcome(MergeKind.Merged, refName, []);
            default:
                var conflicts = new ConflictResolver(_repo, _log).ResolveAll(git, head, theirs);
                MergedLinks.Repoint(git, _repo, head);
                git.Commit(ConflictCommitMessage, signature, signature);
                LogConflicts(refName, conflicts);
                return new MergeOutcome(MergeKind.MergedWithConflicts, refName, conflicts);
        }
    }

    private MergeOutcome AdoptIntoUnbornBranch(Repository git, Commit theirs, string refName)
    {
        var clash = git.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true })
            .Select(e => e.FilePath).FirstOrDefault(p => theirs[p] is not null);
        if (clash is not null)
            throw new InvalidOperationException($"'{clash}' is not committed yet and {refName} has a file of that name; it will be merged once committed");
        git.Refs.Add(git.Head.CanonicalName, theirs.Id, "tether: adopt " + refName, allowOverwrite: true);
        // Safe: pending work-tree changes were committed before any merge, so an unborn branch means nothing local exists yet.
        git.Reset(ResetMode.Hard, theirs);
        _log.LogInformation("Took {Ref} as the first commit of {Branch}", refName, git.Head.FriendlyName);
        return new MergeOutcome(MergeKind.FastForward, refName, []);
    }

    private static string ShortName(string refName) =>
        refName.StartsWith("refs/remotes/", StringComparison.Ordinal) ? refName["refs/remotes/".Length..] : refName;
}
