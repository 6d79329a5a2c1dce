using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// Brings the work tree and index from one tree to another, path by path, without ever overwriting or removing what
/// the user saved after the commit that precedes a merge. libgit2's checkout checks every path first and writes them
/// afterwards; a save landing in between was overwritten (the soak, seed 299243261: an editor's save lost on a
/// fast-forward). Here each path is swapped atomically (RENAME_EXCHANGE, or a rename to a private folder) and what
/// comes out is compared with the version the old tree had: anything else is the user's and stays, at its name when
/// the new tree has nothing there, or under a variant name of its own; the committer commits it next.
/// </summary>
internal sealed class WorkTreeUpdate
{
    private readonly Repository _git;
    private readonly AnnexRepository _repo;
    private readonly ILogger _log;
    private readonly Action<string>? _beforeEachPath;
    private readonly string _tmp;
    private bool _tmpBesideTheFile; // the work tree is on another filesystem than .git: renames cannot cross

    private readonly Action<string>? _afterEachSwap;
    private readonly MergeJournal _journal;

    private WorkTreeUpdate(Repository git, AnnexRepository repo, ILogger log, Action<string>? beforeEachPath, Action<string>? afterEachSwap)
    {
        _git = git; _repo = repo; _log = log; _beforeEachPath = beforeEachPath; _afterEachSwap = afterEachSwap;
        _tmp = MergeLeftovers.TmpFolder(repo);
        repo.CreateFolderInGitDir(_tmp);
        MergeLeftovers.Recover(git, repo, log);
        _journal = new MergeJournal(_tmp);
    }

    /// <summary>
    /// Updates the work tree and the index from <paramref name="from"/> to <paramref name="to"/>'s tree; writes the index.
    /// <paramref name="beforeEachPath"/> and <paramref name="afterEachSwap"/> are for tests: they run just before a path is
    /// swapped (a user saving then) and just after (the process dying then: an exception stands for the kill).
    /// </summary>
    public static void Apply(Repository git, AnnexRepository repo, Tree from, Commit to, ILogger log, Action<string>? beforeEachPath = null,
        Action<string>? afterEachSwap = null)
    {
        var update = new WorkTreeUpdate(git, repo, log, beforeEachPath, afterEachSwap);
        try { update.ApplyChanges(from, to); }
        finally { update._journal.Dispose(); }
        MergeJournal.Clear(update._tmp); // every path decided: nothing taken out is left to recover
        git.Index.Write();
    }

    private void ApplyChanges(Tree from, Commit to)
    {
        var all = _git.Diff.Compare<TreeChanges>(from, to.Tree, new CompareOptions { Similarity = SimilarityOptions.None }).ToList();
        var gitLinks = all.Where(c => c.Mode == Mode.GitLink || c.OldMode == Mode.GitLink).ToList();
        var changes = all.Except(gitLinks).ToList();
        // Every version the new tree keeps is in place before any path that held one is replaced or removed, so a kill
        // -9 in between leaves only additions for the committer to commit (found by the soak, seed 549056601: a
        // conflict's removal was committed as a deletion before its variants existed). New names first, except those
        // where a folder or file is still in the way: they come after the removals.
        var added = changes.Where(c => c.Status == ChangeKind.Added).ToList();
        var blocked = added.Where(c => IsBlocked(c.Path)).ToList();
        foreach (var change in added.Except(blocked)) Place(change.Path, null, Version(_git, change.Oid, change.Mode, change.Path));
        foreach (var change in changes.Where(c => c.Status is ChangeKind.Modified or ChangeKind.TypeChanged))
            Place(change.Path, Version(_git, change.OldOid, change.OldMode, change.OldPath), Version(_git, change.Oid, change.Mode, change.Path));
        foreach (var change in changes.Where(c => c.Status == ChangeKind.Deleted))
            Remove(change.OldPath, Version(_git, change.OldOid, change.OldMode, change.OldPath));
        foreach (var change in blocked) Place(change.Path, null, Version(_git, change.Oid, change.Mode, change.Path));
        ApplyGitLinks(gitLinks, to);
    }

    /// <summary>
    /// Gitlinks (submodules) as git's checkout leaves them: the entry in the index, an empty folder for it in the work tree
    /// when nothing is there, the folder's content never touched. Left out of the index, the next commit deleted them.
    /// </summary>
    private void ApplyGitLinks(List<TreeEntryChanges> changes, Commit to)
    {
        if (changes.Count == 0) return;
        foreach (var change in changes)
        {
            if (change.OldMode is not (Mode.GitLink or Mode.Nonexistent))
                Remove(change.OldPath, Version(_git, change.OldOid, change.OldMode, change.OldPath)); // a file before: what the user saved stays
            if (change.Mode == Mode.GitLink) PlaceGitLinkFolder(change.Path);
            else
            {
                RemoveIfEmptyFolder(change.Path);
                if (change.Mode != Mode.Nonexistent) Place(change.Path, null, Version(_git, change.Oid, change.Mode, change.Path));
            }
        }
        // LibGit2Sharp adds only blobs to the index; this copies the entries (any mode) from the commit's tree.
        _git.Index.Replace(to, changes.Where(c => c.Mode is Mode.GitLink or Mode.Nonexistent).Select(c => c.Path).ToList(),
            new ExplicitPathsOptions { ShouldFailOnUnmatchedPath = false });
    }

    /// <summary>An empty folder at a gitlink's path, as git checkout makes; a file or link of the user's there moves to a variant name.</summary>
    private void PlaceGitLinkFolder(string path)
    {
        EnsureFolderFor(path);
        var absolute = _repo.WorkPath(path);
        if (WorkTreeEntry.Exists(absolute) && !WorkTreeEntry.IsFolder(absolute)) MoveAside(absolute, path);
        Directory.CreateDirectory(absolute);
    }

    /// <summary>A gitlink's folder goes with it when it is empty; one with content is the user's (git leaves it too).</summary>
    private void RemoveIfEmptyFolder(string path)
    {
        var absolute = _repo.WorkPath(path);
        if (WorkTreeEntry.IsFolder(absolute)) RemoveEmptyFolders(absolute);
    }

    /// <summary>True when a folder is at the path, or a file where one of its folders goes (the removals may clear them).</summary>
    private bool IsBlocked(string path)
    {
        if (WorkTreeEntry.IsFolder(_repo.WorkPath(path))) return true;
        var parts = path.Split('/');
        for (var depth = 1; depth < parts.Length; depth++)
        {
            var folder = _repo.WorkPath(string.Join('/', parts[..depth]));
            if (WorkTreeEntry.Exists(folder) && !WorkTreeEntry.IsFolder(folder)) return true;
        }
        return false;
    }

    private static ConflictVersion Version(Repository git, ObjectId id, Mode mode, string path) => ConflictVersion.Read(git, id, mode, path);

    private void Remove(string path, ConflictVersion old)
    {
        _git.Index.Remove(path);
        var absolute = _repo.WorkPath(path);
        if (!WorkTreeEntry.Exists(absolute)) return;
        _beforeEachPath?.Invoke(path);
        var taken = TmpPathFor(absolute);
        _journal.Record(taken, path, old, null);
        var errno = NativeFileSystem.TryRename(absolute, taken);
        if (errno == NativeFileSystem.EXDEV && !_tmpBesideTheFile)
        {
            _tmpBesideTheFile = true;
            _journal.Record(taken = TmpPathFor(absolute), path, old, null);
            errno = NativeFileSystem.TryRename(absolute, taken);
        }
        if (errno == NativeFileSystem.ENOENT) return;
        if (errno != 0) throw new IOException($"cannot remove '{path}' for the merge: {new System.ComponentModel.Win32Exception(errno).Message}");
        _afterEachSwap?.Invoke(path);
        if (old.IsAt(taken))
        {
            File.Delete(taken);
            RemoveEmptyFolders(Path.GetDirectoryName(absolute)!);
            return;
        }
        _log.LogWarning("Kept {Path}: it was saved after the last commit (the merge deletes it); it is committed next", path);
        PutBack(taken, path);
    }

    private void Place(string path, ConflictVersion? old, ConflictVersion version)
    {
        var absolute = _repo.WorkPath(path);
        EnsureFolderFor(path);
        var placed = TmpPathFor(absolute);
        version.WriteTo(placed, new Annex.ObjectStore(_repo));
        var holdsTheUsers = false; // after the swap, until what came out is known to be a version from git
        try
        {
            _beforeEachPath?.Invoke(path);
            var renamed = NativeFileSystem.TryRenameNoReplace(placed, absolute);
            if (renamed == NativeFileSystem.EXDEV && !_tmpBesideTheFile)
            {
                _tmpBesideTheFile = true;
                Place(path, old, version);
                return;
            }
            if (renamed != 0)
            {
                _journal.Record(placed, path, old, version);
                var errno = NativeFileSystem.TryExchange(placed, absolute);
                if (errno == NativeFileSystem.ENOENT) Place(path, old, version);
                else if (errno != 0) throw new IOException($"cannot update '{path}' for the merge: {new System.ComponentModel.Win32Exception(errno).Message}");
                else
                {
                    holdsTheUsers = true;
                    _afterEachSwap?.Invoke(path);
                    if (version.IsAt(placed) || old?.IsAt(placed) == true) holdsTheUsers = false;
                    else MoveAside(placed, path); // what came out is the user's
                }
            }
        }
        finally
        {
            // a save that could not be moved aside stays among the temp files, journaled, for MergeLeftovers
            if (!holdsTheUsers && WorkTreeEntry.Exists(placed)) File.Delete(placed);
        }
        if (version.TryStageUnlockedContent(_git, _repo, path)) return;
        using var content = new MemoryStream(version.Content);
        _git.Index.Add(_git.ObjectDatabase.CreateBlob(content), path, version.Mode);
    }

    /// <summary>Creates the folders above <paramref name="path"/>; a file of the user's where one must go moves to a variant name.</summary>
    private void EnsureFolderFor(string path)
    {
        var parts = path.Split('/');
        for (var depth = 1; depth < parts.Length; depth++)
        {
            var folder = string.Join('/', parts[..depth]);
            var absolute = _repo.WorkPath(folder);
            if (WorkTreeEntry.Exists(absolute) && !WorkTreeEntry.IsFolder(absolute)) MoveAside(absolute, folder);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(_repo.WorkPath(path))!);
    }

    private void PutBack(string taken, string path) => KeptSaves.PutBack(_git, _repo, _log, taken, path);

    private void MoveAside(string file, string path) => KeptSaves.MoveAside(_git, _repo, _log, file, path);

    private string TmpPathFor(string absolute) => _tmpBesideTheFile
        ? Path.Combine(Path.GetDirectoryName(absolute)!, Committing.WorkTreeCommitter.LinkTempPrefix + Guid.NewGuid().ToString("N"))
        : Path.Combine(_tmp, Guid.NewGuid().ToString("N"));

    private void RemoveEmptyFolders(string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(_repo.WorkTree!);
        while (folder.Length > root.Length && folder.StartsWith(root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any()) return;
                Directory.Delete(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
            folder = Path.GetDirectoryName(folder)!;
        }
    }
}
