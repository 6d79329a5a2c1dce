using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Committing;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Kernel.Git;
using Tether.Platform.Hashing;

namespace Tether.Kernel.Committing;

/// <summary>
/// Commits work-tree changes: scans (all, or the given paths), annexes large files, stages only what
/// changed, and commits once. Files still being written are left for the next round.
/// </summary>
public sealed class WorkTreeCommitter
{
    internal const string LinkTempPrefix = ".tether-link-";
    private static readonly string[] NeverCommitted = [".tether", ".git"];

    private readonly AnnexRepository _repo;
    private readonly Func<string, long, bool> _isLarge;
    private readonly string _description;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SkippedFiles? _skipped;

    public WorkTreeCommitter(AnnexRepository repo, Func<string, long, bool> isLarge, string description, TimeProvider clock, ILogger log)
    {
        _repo = repo; _isLarge = isLarge; _description = description; _clock = clock; _log = log;
        _skipped = repo.WorkTree is { } root ? new SkippedFiles(root, log) : null;
        SetAside = new SetAsidePaths(clock, log);
        WorkTreeProblem = () => repo.WorkTree is { } root && !Directory.Exists(root) ? $"The work tree {root} is gone; nothing is committed until it is back" : null;
    }

    /// <summary>New large files are added unlocked: a plain file in the work tree, a pointer in git (annex.unlocked).</summary>
    public bool Unlocked { get; init; }

    /// <summary>This node's ignore globs (config ignore:, gitignore syntax), on top of the tree's .gitignore files.</summary>
    public IReadOnlyList<string> IgnoreRules { get; init; } = [];

    /// <summary>Refuses batches that delete most of the tree; <see cref="DeletionGuard.Off"/> for one-shot commands and accepted deletions.</summary>
    public DeletionGuard Guard { get; set; } = DeletionGuard.Off;

    /// <summary>
    /// Null while the work tree is there to be read; else why not (the daemon sets <see cref="Threads.WorkTreePresence.Problem"/>,
    /// which also sees a drive unmounted under the folder). Checked before every commit.
    /// </summary>
    public Func<string?> WorkTreeProblem { get; set; }

    /// <summary>Paths that cannot be committed: left out while everything else is committed, tried again later.</summary>
    public SetAsidePaths SetAside { get; }

    /// <summary>Paths set aside by the last <see cref="CommitPendingAsync"/> (the daemon reports them and schedules their retry).</summary>
    public List<(string Path, string Reason, TimeSpan RetryIn)> NewlySetAside { get; } = [];

    /// <summary>Paths that changed but could not be committed yet (still being written).</summary>
    public List<string> Deferred { get; } = [];

    /// <summary>Commits pending changes; null when there were none.</summary>
    /// <param name="stillOpen">Paths known to be open for writing: left out (and left for a later commit).</param>
    public async Task<CommitResult?> CommitPendingAsync(IReadOnlyCollection<string>? paths, CancellationToken ct, IReadOnlySet<string>? stillOpen = null)
    {
        Deferred.Clear();
        NewlySetAside.Clear();
        if (WorkTreeProblem() is { } problem)
        {
            // A vanished work tree (a drive unmounted under it) is never read as "everything deleted".
            _log.LogError("{Problem}", problem);
            return null;
        }
        ContentFilters.EnsureOnlyAnnexFilter(_repo);
        using var git = _repo.OpenGit();
        Merging.InterruptedMerge.Undo(git, _log); // a merge killed half-way would otherwise block every commit
        Merging.MergeLeftovers.Recover(git, _repo, _log); // and a save it had taken out would stay in its temp folder
        using var branch = new GitAnnexBranch(_repo, _clock);
        var uuid = _repo.RequireUuid();
        var store = new ObjectStore(_repo);
        var ingesters = new Ingesters(new Ingester(_repo, store, branch, uuid), new UnlockedIngester(_repo, store, branch, uuid), store, branch, uuid);
        var annexed = new List<string>();
        var pointers = new Dictionary<string, (Key Key, WorkTreeStat Stat)>(StringComparer.Ordinal);

        var candidates = paths is not null ? NestedRepositories.StandFor(_repo.WorkTree!, paths)
            : await ChangedPathsFromGit.ListAsync(_repo.WorkTree!, FullScanCandidateLimit, _log, ct);
        IEnumerable<StatusEntry> status = candidates is { Count: 0 } ? [] : RetrieveStatus(git, candidates);
        var toStage = new List<string>();
        foreach (var entry in status)
        {
            ct.ThrowIfCancellationRequested();
            var relative = entry.FilePath.TrimEnd('/'); // a repository nested in the tree is listed as its folder, "project/"
            if (IsNeverCommitted(relative) || stillOpen?.Contains(relative) == true || SetAside.Covers(relative)) continue;
            if (InKeptGitLink(git, relative)) continue;
            if (await PrepareEntryAsync(git, ingesters, relative, annexed, pointers, ct) is { } path && !pointers.ContainsKey(path)) toStage.Add(path);
        }
        if (_skipped is not null) await _skipped.TellSpecialFilesAsync(paths, ct);
        await branch.CommitAsync("update", ct);
        SetAside.ClearDue(p => paths is null || paths.Any(changed => changed == p || changed.StartsWith(p + "/", StringComparison.Ordinal)));
        if (toStage.Count > InProcessStageLimit && await StageWithGitAsync(toStage, ct))
        {
            using var reloaded = _repo.OpenGit(); // the index changed on disk under our in-memory copy
            return StagePointersAndCommit(reloaded, pointers, annexed);
        }
        foreach (var path in toStage) StageInProcess(git, path);
        return StagePointersAndCommit(git, pointers, annexed);
    }

    /// <summary>What annexing a batch writes to: the two ingesters and, for content that leaves the annex, the store and location log.</summary>
    private sealed record Ingesters(Ingester Locked, UnlockedIngester Unlocked, ObjectStore Store, GitAnnexBranch Branch, string Uuid);

    private CommitResult? StagePointersAndCommit(Repository git, Dictionary<string, (Key Key, WorkTreeStat Stat)> pointers, List<string> annexed)
    {
        foreach (var (path, (key, stat)) in pointers)
            if (!PointerStaging.Stage(git, _repo, path, key, stat)) Deferred.Add(path);
        // Built before the index is written: building it fills the index's tree cache, which the write then keeps, so
        // the next commit (after a restart too) builds trees only for the folders that changed.
        var indexTree = git.ObjectDatabase.CreateTree(git.Index);
        git.Index.Write();
        return CommitIndex(git, indexTree, annexed);
    }

    /// <summary>
    /// True for a gitlink (submodule) of the index, or a path in one, whose folder holds no repository (missing, empty, or
    /// a plain folder): left as it is, as git does. Only a deliberate `git rm` (the entry gone from the index) deletes one;
    /// a repository there is staged as git add does (its HEAD), and a file or link in its place replaces it.
    /// </summary>
    private bool InKeptGitLink(Repository git, string path)
    {
        for (var end = path.Length; end > 0; end = path.LastIndexOf('/', end - 1))
        {
            var prefix = path[..end];
            if (git.Index[prefix] is not { Mode: Mode.GitLink }) continue;
            var absolute = _repo.WorkPath(prefix);
            var isFileOrLink = File.Exists(absolute) || new FileInfo(absolute).LinkTarget is not null;
            return prefix != path || !isFileOrLink && !HoldsRepository(absolute);
        }
        return false;
    }

    private static bool HoldsRepository(string folder)
    {
        var dotGit = Path.Combine(folder, ".git");
        if (!File.Exists(dotGit) && !Directory.Exists(dotGit)) return false;
        try
        {
            using var sub = new Repository(folder);
            return sub.Head.Tip is not null;
        }
        catch (LibGit2SharpException) { return false; }
    }

    /// <summary>
    /// A full scan checks at most this many paths the system git lists as changed one by one; above it (a first scan of
    /// a new tree), libgit2 walks the whole tree instead.
    /// </summary>
    private const int FullScanCandidateLimit = 20_000;

    /// <summary>libgit2 walks folders at most this deep; a deeper one fails the whole status ("directory nesting too deep").</summary>
    private const int WalkedDepth = 100;

    /// <summary>
    /// The status of the given paths (all when null), set-aside paths left out (temporary ignore rules, so their folders are
    /// not walked). A folder nested too deep for libgit2 is found and set aside, and the status taken again without it.
    /// </summary>
    private RepositoryStatus RetrieveStatus(Repository git, IReadOnlyCollection<string>? paths)
    {
        var options = new StatusOptions
        {
            IncludeUntracked = true, RecurseUntrackedDirs = true, IncludeIgnored = false,
            PathSpec = paths?.ToArray(), DisablePathSpecMatch = paths is not null,
        };
        git.Ignore.AddTemporaryRules(SetAside.Current().Select(IgnoreRule));
        if (IgnoreRules.Count > 0) git.Ignore.AddTemporaryRules(IgnoreRules);
        try { return git.RetrieveStatus(options); }
        catch (LibGit2SharpException e) when (e.Message.Contains("nesting too deep", StringComparison.Ordinal))
        {
            var tooDeep = FoldersTooDeep().ToList();
            if (tooDeep.Count == 0) throw;
            foreach (var folder in tooDeep) NoteSetAside(folder, $"folders nested deeper than {WalkedDepth - 1}");
            git.Ignore.AddTemporaryRules(tooDeep.Select(IgnoreRule));
            return git.RetrieveStatus(options);
        }
    }

    private void NoteSetAside(string path, string reason) => NewlySetAside.Add((path, reason, SetAside.SetAside(path, reason)));

    /// <summary>An ignore rule matching exactly this path from the root (wildcards and specials escaped).</summary>
    private static string IgnoreRule(string path) =>
        "/" + string.Concat(path.Select(c => "\\*?[]!# ".Contains(c) ? "\\" + c : c.ToString()));

    /// <summary>The folders at the deepest depth libgit2 can walk that hold more folders (links never followed).</summary>
    private IEnumerable<string> FoldersTooDeep()
    {
        var root = _repo.WorkTree!;
        var pending = new Stack<(string Path, int Depth)>([(root, 0)]);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        while (pending.Count > 0)
        {
            var (folder, depth) = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(folder, "*", options))
            {
                if (depth == 0 && Path.GetFileName(sub) == ".git") continue;
                if (depth + 1 == WalkedDepth - 1) { if (Directory.EnumerateDirectories(sub, "*", options).Any()) yield return Path.GetRelativePath(root, sub); }
                else pending.Push((sub, depth + 1));
            }
        }
    }

    /// <summary>
    /// After a failed commit: removes git lock files no process holds (see <see cref="Repositories.StaleGitLocks"/>). Found by
    /// the fuzz: an empty refs/heads/git-annex.lock appeared while the daemon ran and failed every commit after it.
    /// </summary>
    public Task RemoveStaleLocksAsync(CancellationToken ct) => Repositories.StaleGitLocks.RemoveAsync(_repo, _clock, _log, ct);

    /// <summary>
    /// Above this many paths, the system git stages them (`git update-index --add --remove -z --stdin`):
    /// it writes loose objects about three times faster than libgit2 here; below it, no process is spawned.
    /// </summary>
    private const int InProcessStageLimit = 64;

    /// <summary>False when git refused the batch (one bad path fails it all): the caller then stages path by path.</summary>
    private async Task<bool> StageWithGitAsync(List<string> paths, CancellationToken ct)
    {
        var input = string.Concat(paths.Select(p => p + "\0"));
        // Only what goes into git as it is comes here (unlocked files are staged in-process): no filter of the system git's.
        var result = await GitProcess.RunAsync(_repo.WorkTree!, [.. PointerStaging.NoFilterDriver, "update-index", "--add", "--remove", "-z", "--stdin"], ct, standardInput: input);
        if (result.ExitCode == 0) return true;
        _log.LogDebug("Staging {Count} paths with git failed ({Error}); staging them one by one", paths.Count, result.ErrorText);
        return false;
    }

    /// <summary>Stages one path; one libgit2 cannot take is set aside, not allowed to fail the commit of the others.</summary>
    private void StageInProcess(Repository git, string relative)
    {
        var absolute = _repo.WorkPath(relative);
        try
        {
            if (File.Exists(absolute) || new FileInfo(absolute).LinkTarget is not null || Directory.Exists(absolute)) git.Index.Add(relative);
            else if (git.Index[relative] is not null) git.Index.Remove(relative);
        }
        catch (LibGit2SharpException e) { NoteSetAside(relative, e.Message); }
    }

    /// <summary>Annexes a large file; returns the path to stage (added, changed or removed), or null to leave it.</summary>
    private async Task<string?> PrepareEntryAsync(Repository git, Ingesters ingesters, string relative, List<string> annexed,
        Dictionary<string, (Key Key, WorkTreeStat Stat)> pointers, CancellationToken ct)
    {
        var absolute = _repo.WorkPath(relative);
        var info = new FileInfo(absolute);
        if (Path.GetFileName(relative).StartsWith(LinkTempPrefix, StringComparison.Ordinal))
        {
            if (info.LinkTarget is not null) File.Delete(absolute); // leftover of an interrupted ingest
            return null;
        }
        if (info.LinkTarget is null && Directory.Exists(absolute))
        {
            if (git.Index[relative] is null) _skipped!.TellNestedRepository(relative); // status lists a folder only for that
            return relative;
        }
        if (!info.Exists && info.LinkTarget is null) return relative; // deleted: staged as a removal
        if (info.LinkTarget is { } target)
        {
            if (AnnexLink.TryParseTarget(target, out var key)) RepointMovedLink(relative, absolute, target, key); // into .git/annex: never outside
            else _skipped!.CheckLinkTarget(relative, absolute, target);
            return relative;
        }

        if (_skipped!.IsSpecial(relative, absolute) || _skipped.IsUnreadable(relative, absolute)) return null;
        if (PointerStaging.IsPointerFile(absolute, info.Length)) return relative; // an unlocked file whose content is not here
        var indexed = PointerStaging.IndexedKey(git, relative);
        if (!_isLarge(relative, info.Length) && (indexed is null || await LeavesTheAnnexAsync(ingesters, indexed, relative, absolute, ct))) return relative;
        if (indexed is not null || Unlocked && git.Index[relative] is not { Mode: Mode.SymbolicLink })
            return await IngestUnlockedAsync(ingesters.Unlocked, relative, indexed, annexed, pointers, ct);
        switch (await ingesters.Locked.IngestAsync(relative, ct))
        {
            case IngestOutcome.Unstable: Deferred.Add(relative); return null;
            case IngestOutcome.Annexed: annexed.Add(relative); break;
        }
        return relative;
    }

    /// <summary>
    /// An annexed file that no longer matches the large-file rule goes into git once its content changed, as git-annex's
    /// clean filter decides (the same content stays annexed). With annex.thin the old object was this very file, edited.
    /// </summary>
    private async Task<bool> LeavesTheAnnexAsync(Ingesters annexing, Key indexed, string relative, string absolute, CancellationToken ct)
    {
        try
        {
            if (await KeyHasher.VerifyAsync(indexed, absolute, ct)) return false;
        }
        catch (UnverifiableContentException) { return false; } // a backend Tether cannot hash: left as it is
        if (annexing.Store.ForgetEditedInPlace(indexed, absolute))
            await annexing.Branch.RecordLocationAsync(indexed, annexing.Uuid, LocationStatus.Absent, ct);
        _log.LogDebug("{Path} no longer matches the large-file rule: its new content goes into git", relative);
        return true;
    }

    private async Task<string?> IngestUnlockedAsync(UnlockedIngester ingester, string relative, Key? indexed, List<string> annexed,
        Dictionary<string, (Key Key, WorkTreeStat Stat)> pointers, CancellationToken ct)
    {
        switch (await ingester.IngestAsync(relative, indexed, ct))
        {
            case (IngestOutcome.Unstable, _): Deferred.Add(relative); return null;
            case (IngestOutcome.Annexed(_, var key), { } stat):
                annexed.Add(relative);
                pointers[relative] = (key, stat);
                break;
        }
        return relative;
    }

    /// <summary>
    /// An annex link moved to another folder depth (a file or its folder renamed) points nowhere: its relative target
    /// is rewritten for its new place before it is committed, as git-annex's assistant does, so the content stays
    /// reachable here and every node checks out a working link.
    /// </summary>
    private void RepointMovedLink(string relative, string absolute, string target, Key key)
    {
        var expected = AnnexLink.TargetFor(relative, key);
        if (target == expected) return;
        var tmp = Path.Combine(Path.GetDirectoryName(absolute)!, $"{LinkTempPrefix}{Guid.NewGuid():N}");
        File.CreateSymbolicLink(tmp, expected);
        try { NativeFileSystem.Rename(tmp, absolute); }
        catch { File.Delete(tmp); throw; }
        _log.LogInformation("Repointed the annex link {Path} (moved to another folder depth)", relative);
    }

    private CommitResult? CommitIndex(Repository git, Tree indexTree, List<string> annexed)
    {
        var headTree = git.Head.Tip?.Tree;
        if (headTree is not null && headTree.Id == indexTree.Id) return null;
        var changes = git.Diff.Compare<TreeChanges>(headTree, indexTree, new CompareOptions { Similarity = SimilarityOptions.Renames });
        if (headTree is null && !changes.Any()) return null;
        var added = changes.Added.Select(c => c.Path).ToList();
        var modified = changes.Modified.Concat(changes.TypeChanged).Select(c => c.Path).ToList();
        var deleted = changes.Deleted.Select(c => c.Path).ToList();
        if (headTree is not null && Guard.Blocks(deleted.Count, () => CountFiles(headTree)))
        {
            git.Index.Replace(git.Head.Tip!); // unstage everything: the deletions must not ride along with a later commit
            git.Index.Write();
            throw new MassDeletionBlockedException(deleted.Count, CountFiles(headTree), _repo.WorkTree ?? _repo.GitDir);
        }
        var renamed = changes.Renamed.Select(c => (c.OldPath, c.Path)).ToList();
        var signature = GitIdentity.For(git, _clock);
        var result = new CommitResult("", added, modified, deleted, renamed, annexed);
        var message = $"tether in {_description}: {result.Described()}\n\n{History.CommitNode.Trailer}: {_repo.ReadUuid()}\n";
        var commit = git.Commit(message, signature, signature, new CommitOptions { AllowEmptyCommit = false });
        _log.LogInformation("Committed {Summary} as {Commit}", result.Summary(), commit.Sha[..10]);
        return result with { CommitId = commit.Sha };
    }

    private static int CountFiles(Tree tree)
    {
        var count = 0;
        var pending = new Stack<Tree>([tree]);
        while (pending.Count > 0)
            foreach (var entry in pending.Pop())
                if (entry.TargetType == TreeEntryTargetType.Tree) pending.Push((Tree)entry.Target);
                else count++;
        return count;
    }

    private static bool IsNeverCommitted(string relativePath) =>
        NeverCommitted.Any(p => relativePath == p || relativePath.StartsWith(p + "/", StringComparison.Ordinal));
}
