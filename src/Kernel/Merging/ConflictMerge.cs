using LibGit2Sharp;

namespace Tether.Kernel.Merging;

/// <summary>
/// Merges two commits whose trees conflict into one tree, in the object database only (the work tree is then updated
/// path by path by <see cref="WorkTreeUpdate"/>), by the same rules as <see cref="ConflictResolver"/>: each conflicting
/// version goes to its variant name (a plain file facing an annexed one keeps the name), and a version never takes a
/// name another file has. How: the conflicted files are taken out of both sides (two throwaway commits, children of
/// ours and theirs, so the merge base is unchanged), the rest merges cleanly, and the versions are added back under
/// their names. Returns null when that does not converge in a few rounds (the caller falls back to libgit2's merge).
/// Rename detection is off here: with it, libgit2 reports a rename conflict as entries at different paths, and the soak
/// (seed 69949063) lost a version that way; path by path, a file renamed on one side and changed on the other keeps
/// both (the changed one under a variant name).
/// </summary>
internal static class ConflictMerge
{
    private const int Rounds = 3;

    public static (Tree Tree, IReadOnlyList<ResolvedConflict> Conflicts)? TryMerge(Repository git, Commit head, Commit theirs, Signature signature)
    {
        var conflicts = new SortedDictionary<string, Conflict>(StringComparer.Ordinal);
        Commit ours = head, other = theirs;
        for (var round = 0; round < Rounds; round++)
        {
            var result = git.ObjectDatabase.MergeCommits(ours, other, new MergeTreeOptions { FindRenames = false });
            if (result.Status == MergeTreeStatus.Succeeded) return Resolve(git, result.Tree, conflicts, head, theirs);
            var fresh = result.Conflicts.Where(c => !conflicts.ContainsKey(PathOf(c))).ToList();
            if (fresh.Count == 0) return null;
            foreach (var conflict in fresh) conflicts[PathOf(conflict)] = conflict;
            ours = WithoutFiles(git, head, conflicts.Keys, signature);
            other = WithoutFiles(git, theirs, conflicts.Keys, signature);
        }
        return null;
    }

    private static string PathOf(Conflict c) => (c.Ours ?? c.Theirs ?? c.Ancestor).Path;

    /// <summary>A child of <paramref name="basis"/> without the files and gitlinks at <paramref name="paths"/> (folders stay).</summary>
    private static Commit WithoutFiles(Repository git, Commit basis, IEnumerable<string> paths, Signature signature)
    {
        var tree = TreeDefinition.From(basis.Tree);
        foreach (var path in paths)
            if (basis.Tree[path] is { TargetType: TreeEntryTargetType.Blob or TreeEntryTargetType.GitLink }) tree.Remove(path);
        return git.ObjectDatabase.CreateCommit(signature, signature, "tether: conflicted files set aside", git.ObjectDatabase.CreateTree(tree), [basis], prettifyMessage: false);
    }

    private static (Tree, IReadOnlyList<ResolvedConflict>) Resolve(Repository git, Tree merged, SortedDictionary<string, Conflict> conflicts, Commit head, Commit theirs)
    {
        var tree = TreeDefinition.From(merged);
        var conflicted = conflicts.Keys.ToHashSet(StringComparer.Ordinal);
        var resolved = new List<ResolvedConflict>();
        foreach (var (path, conflict) in conflicts)
        {
            var versions = new[] { conflict.Ours, conflict.Theirs }.OfType<IndexEntry>()
                .Select(e => ConflictVersion.Read(git, e)).OrderBy(v => v.Key.ToString(), StringComparer.Ordinal).ToList();
            var keepInPlace = versions.Count == 2 && versions.Count(v => v.IsAnnexed) == 1 ? versions.Single(v => !v.IsAnnexed) : null;
            var folderHere = head[path]?.TargetType == TreeEntryTargetType.Tree || theirs[path]?.TargetType == TreeEntryTargetType.Tree;
            if (folderHere && keepInPlace is not null) keepInPlace = null; // the folder keeps the name
            var kept = new List<string>();
            foreach (var version in versions)
            {
                var target = version == keepInPlace ? path : FreeName(tree, path, version, conflicted);
                if (version.Mode == Mode.GitLink) tree.AddGitLink(target, version.Id);
                else tree.Add(target, git.Lookup<Blob>(version.Id), version.Mode);
                kept.Add(target);
            }
            resolved.Add(new ResolvedConflict(path, kept));
        }
        return (git.ObjectDatabase.CreateTree(tree), resolved);
    }

    private static string FreeName(TreeDefinition tree, string path, ConflictVersion version, IReadOnlySet<string> conflicted)
    {
        foreach (var candidate in VariantName.Candidates(path, version.Key))
        {
            if (conflicted.Contains(candidate)) continue;
            var entry = tree[candidate];
            if (entry is null || entry.TargetId == version.Id && entry.Mode == version.Mode) return candidate;
        }
        throw new IOException($"no free variant name for a version of '{path}' (key {version.Key}): every candidate is in use");
    }
}
