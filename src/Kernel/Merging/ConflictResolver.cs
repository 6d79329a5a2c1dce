using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// Resolves every conflict of an in-progress merge without losing a version, by git-annex's rules:
/// each conflicting annexed version goes to its variant name; an annexed file facing a plain file or a folder
/// is renamed and the other side keeps the name; modify-vs-delete keeps the modified version under its variant
/// name. Tether also resolves plain-vs-plain (which git-annex leaves alone): both go to variant names, the
/// variant taken from the SHA256E key of the content. Deterministic, so every node resolves alike.
/// </summary>
/// <remarks>
/// After libgit2's checkout a conflicted path holds ours, theirs, or (two plain texts) a file with conflict markers; any
/// other work-tree entry was saved by the user after the commit that precedes the merge (found by the fuzz). It is never replaced
/// nor removed: it stays at its name when the resolution leaves that free (the committer commits it next), or moves
/// to a variant name of its own. A version never takes a name another file already has in the merged tree.
/// </remarks>
public sealed class ConflictResolver
{
    private readonly AnnexRepository _repo;
    private readonly ILogger _log;

    public ConflictResolver(AnnexRepository repo, ILogger? log = null)
    {
        _repo = repo;
        _log = log ?? NullLogger.Instance;
    }

    public IReadOnlyList<ResolvedConflict> ResolveAll(Repository git, Commit ours, Commit theirs)
    {
        var conflicts = git.Index.Conflicts.ToList();
        var conflictedPaths = conflicts.Select(c => (c.Ours ?? c.Theirs ?? c.Ancestor).Path).ToHashSet(StringComparer.Ordinal);
        var resolved = new List<ResolvedConflict>();
        foreach (var conflict in conflicts)
        {
            var path = (conflict.Ours ?? conflict.Theirs ?? conflict.Ancestor).Path;
            resolved.Add(Resolve(git, path, conflict.Ours, conflict.Theirs, ours, theirs, conflictedPaths));
        }
        git.Index.Write();
        return resolved;
    }

    private ResolvedConflict Resolve(Repository git, string path, IndexEntry? ours, IndexEntry? theirs, Commit oursCommit, Commit theirsCommit,
        IReadOnlySet<string> conflictedPaths)
    {
        var oursVersion = ours is null ? null : ConflictVersion.Read(git, ours);
        var versions = new[] { oursVersion, theirs is null ? null : ConflictVersion.Read(git, theirs) }.OfType<ConflictVersion>().ToList();
        var folderOnOtherSide = versions.Count == 1
            && (oursCommit[path]?.TargetType == TreeEntryTargetType.Tree || theirsCommit[path]?.TargetType == TreeEntryTargetType.Tree);
        var keepInPlace = versions.Count == 2 && versions.Count(v => v.IsAnnexed) == 1 ? versions.Single(v => !v.IsAnnexed) : null;

        git.Index.Remove(path);
        if (!folderOnOtherSide) ClearConflictedPath(git, path, versions, needed: keepInPlace is not null);
        var kept = new List<string>();
        foreach (var version in versions)
        {
            var target = version == keepInPlace ? path : FreeName(git, path, version, conflictedPaths);
            if (target != path) MoveAsideUnlessIs(git, target, version);
            version.WriteTo(_repo.WorkPath(target), new Annex.ObjectStore(_repo));
            if (!version.TryStageUnlockedContent(git, _repo, target)) git.Index.Add(target);
            kept.Add(target);
        }
        RemoveMergeLeftovers(git, path, versions);
        return new ResolvedConflict(path, kept);
    }

    /// <summary>Removes what the merge left at the conflicted path, unless the user saved something else there since.</summary>
    private void ClearConflictedPath(Repository git, string path, IReadOnlyList<ConflictVersion> versions, bool needed)
    {
        var absolute = _repo.WorkPath(path);
        if (!WorkTreeEntry.Exists(absolute)) return;
        if (versions.Any(v => v.IsAt(absolute)) || versions.All(v => !v.IsAnnexed) && WorkTreeEntry.HasConflictMarkers(absolute))
        {
            File.Delete(absolute);
            return;
        }
        if (needed) MoveAside(git, path);
        else _log.LogWarning("Kept {Path} as saved after the last commit (the merge moved its versions to variant names); it is committed next", path);
    }

    /// <summary>The first of the version's variant names that no other content has in the merged tree or in this merge.</summary>
    private static string FreeName(Repository git, string path, ConflictVersion version, IReadOnlySet<string> conflictedPaths)
    {
        foreach (var candidate in VariantName.Candidates(path, version.Key))
        {
            if (conflictedPaths.Contains(candidate)) continue;
            var entry = git.Index[candidate];
            if (entry is null || entry.Id == version.Id && entry.Mode == version.Mode) return candidate;
        }
        throw new IOException($"no free variant name for a version of '{path}' (key {version.Key}): every candidate is in use");
    }

    private void MoveAsideUnlessIs(Repository git, string target, ConflictVersion version)
    {
        var absolute = _repo.WorkPath(target);
        if (WorkTreeEntry.Exists(absolute) && !version.IsAt(absolute)) MoveAside(git, target);
    }

    /// <summary>Moves a file the user saved after the last commit to a variant name of its own content; the committer commits it.</summary>
    private void MoveAside(Repository git, string path)
    {
        var absolute = _repo.WorkPath(path);
        var key = WorkTreeEntry.KeyOf(absolute, path);
        foreach (var candidate in VariantName.Candidates(path, key))
        {
            var destination = _repo.WorkPath(candidate);
            if (git.Index[candidate] is not null || WorkTreeEntry.Exists(destination) || Directory.Exists(destination)) continue;
            File.Move(absolute, destination);
            _log.LogWarning("Moved {Path}, saved after the last commit, to {Variant}: the merge puts another version at its name", path, candidate);
            return;
        }
        throw new IOException($"cannot keep '{path}' (saved after the last commit): every variant name for it is in use");
    }

    /// <summary>
    /// libgit2 writes "path~HEAD"-style copies of a side beside a file/folder conflict; the versions live on under variant
    /// names instead. Only untracked copies of a version go: "notes.txt~" (an editor's backup) is the user's.
    /// </summary>
    private void RemoveMergeLeftovers(Repository git, string path, IReadOnlyList<ConflictVersion> versions)
    {
        var absolute = _repo.WorkPath(path);
        var dir = Path.GetDirectoryName(absolute)!;
        if (!Directory.Exists(dir)) return;
        foreach (var leftover in Directory.EnumerateFileSystemEntries(dir, Path.GetFileName(absolute) + "~?*"))
        {
            var relative = Path.GetRelativePath(_repo.WorkTree!, leftover).Replace('\\', '/');
            if (git.Index[relative] is null && versions.Any(v => v.IsAt(leftover))) File.Delete(leftover);
        }
    }
}
