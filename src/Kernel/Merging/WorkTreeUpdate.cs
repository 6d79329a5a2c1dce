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

    private WorkTreeUpdate(Repository git, AnnexRepository repo, ILogger log, Action<string>? beforeEachPath)
    {
        _git = git; _repo = repo; _log = log; _beforeEachPath = beforeEachPath;
        _tmp = Path.Combine(repo.StateDir, "merge-tmp");
        repo.CreateFolderInGitDir(_tmp);
    }

    /// <summary>
    /// Updates the work tree and the index from <paramref name="from"/> to <paramref name="to"/>'s tree; writes the index.
    /// <paramref name="beforeEachPath"/> is for tests: it runs just before a path is swapped (a user saving then).
    /// </summary>
    public static void Apply(Repository git, AnnexRepository repo, Tree from, Commit to, ILogger log, Action<string>? beforeEachPath = null)
    {
        var update = new WorkTreeUpdate(git, repo, log, beforeEachPath);
        var all = git.Diff.Compare<TreeChanges>(from, to.Tree, new CompareOptions { Similarity = SimilarityOptions.None }).ToList();
        var gitLinks = all.Where(c => c.Mode == Mode.GitLink || c.OldMode == Mode.GitLink).ToList();
        var changes = all.Except(gitLinks).ToList();
        // Every version the new tree keeps is in place before any path that held one is replaced or removed, so a kill
        // -9 in between leaves only additions for the committer to commit (found by the soak, seed 549056601: a
        // conflict's removal was committed as a deletion before its variants existed). New names first, except those
        // where a folder or file is still in the way: they come after the removals.
        var added = changes.Where(c => c.Status == ChangeKind.Added).ToList();
        var blocked = added.Where(c => update.IsBlocked(c.Path)).ToList();
        foreach (var change in added.Except(blocked)) update.Place(change.Path, null, Version(git, change.Oid, change.Mode, change.Path));
        foreach (var change in changes.Where(c => c.Status is ChangeKind.Modified or ChangeKind.TypeChanged))
            update.Place(change.Path, Version(git, change.OldOid, change.OldMode, change.OldPath), Version(git, change.Oid, change.Mode, change.Path));
        foreach (var change in changes.Where(c => c.Status == ChangeKind.Deleted))
            update.Remove(change.OldPath, Version(git, change.OldOid, change.OldMode, change.OldPath));
        foreach (var change in blocked) update.Place(change.Path, null, Version(git, change.Oid, change.Mode, change.Path));
        update.ApplyGitLinks(gitLinks, to);
        git.Index.Write();
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
        var errno = NativeFileSystem.TryRename(absolute, taken);
        if (errno == NativeFileSystem.EXDEV && !_tmpBesideTheFile)
        {
            _tmpBesideTheFile = true;
            errno = NativeFileSystem.TryRename(absolute, taken = TmpPathFor(absolute));
        }
        if (errno == NativeFileSystem.ENOENT) return;
        if (errno != 0) throw new IOException($"cannot remove '{path}' for the merge: {new System.ComponentModel.Win32Exception(errno).Message}");
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
                var errno = NativeFileSystem.TryExchange(placed, absolute);
                if (errno == NativeFileSystem.ENOENT) Place(path, old, version);
                else if (errno != 0) throw new IOException($"cannot update '{path}' for the merge: {new System.ComponentModel.Win32Exception(errno).Message}");
                else if (!version.IsAt(placed) && (old is null || !old.IsAt(placed))) MoveAside(placed, path); // what came out is the user's
            }
        }
        finally
        {
            if (WorkTreeEntry.Exists(placed)) File.Delete(placed);
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

    /// <summary>Puts a file taken from the work tree back at its name, or beside it when something new took the name.</summary>
    private void PutBack(string taken, string path)
    {
        if (NativeFileSystem.TryRenameNoReplace(taken, _repo.WorkPath(path)) != 0) MoveAside(taken, path);
    }

    /// <summary>Gives a file the user saved a variant name of its own, beside <paramref name="path"/>.</summary>
    private void MoveAside(string file, string path)
    {
        var key = WorkTreeEntry.KeyOf(file, path);
        foreach (var candidate in VariantName.Candidates(path, key))
        {
            var destination = _repo.WorkPath(candidate);
            if (_git.Index[candidate] is not null) continue;
            if (NativeFileSystem.TryRenameNoReplace(file, destination) != 0) continue;
            _log.LogWarning("Moved what was saved at {Path} after the last commit to {Variant}: the merge puts another version at its name", path, candidate);
            return;
        }
        throw new IOException($"cannot keep what was saved at '{path}' after the last commit: every variant name for it is in use (it is in {file})");
    }

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
