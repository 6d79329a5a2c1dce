using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace Tether.Kernel.Merging;

/// <summary>
/// Undoes a merge that stopped half-way (its conflict resolution failed, or the process was killed during it), as
/// `git reset --merge` does: the index goes back to HEAD, every path the merge touched gets HEAD's version back in
/// the work tree (or goes, when HEAD has none), and the merge state (MERGE_HEAD) is removed. Nothing is lost: our
/// versions are in HEAD, theirs in the received ref, which is merged again. Without this, a conflicted index stops
/// every later commit and merge for good.
/// </summary>
public static class InterruptedMerge
{
    private static readonly string[] StateFiles = ["MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"];

    /// <summary>True when there was a merge to undo. Call with the repository gate held.</summary>
    public static bool Undo(Repository git, ILogger log)
    {
        var mergeHead = Path.Combine(git.Info.Path, "MERGE_HEAD");
        if (git.Index.IsFullyMerged && !File.Exists(mergeHead)) return false;
        var head = git.Head.Tip;
        var touched = git.Index.Conflicts.Select(c => (c.Ours ?? c.Theirs ?? c.Ancestor).Path)
            .Concat(head is null ? git.Index.Select(e => e.Path) : git.Diff.Compare<TreeChanges>(head.Tree, DiffTargets.Index).Select(c => c.Path))
            .Distinct(StringComparer.Ordinal).ToList();
        var written = MergeVersions(git, head, touched);
        if (head is null)
        {
            git.Index.Clear();
            git.Index.Write();
        }
        else git.Reset(ResetMode.Mixed, head); // the index only (conflict entries too); the work tree is restored path by path
        var kept = 0;
        foreach (var path in touched)
        {
            if (WrittenByTheMerge(git, path, written[path])) Restore(git, head, path);
            else kept++;
            RemoveLeftovers(git, head, path);
        }
        if (kept > 0) log.LogWarning("Kept {Count} file(s) saved after the interrupted merge as they are; they are committed next", kept);
        foreach (var file in StateFiles) File.Delete(Path.Combine(git.Info.Path, file));
        log.LogWarning("Undid an interrupted merge ({Count} path(s) back to HEAD); what was received will be merged again", touched.Count);
        return true;
    }

    /// <summary>The "path~HEAD"-style files git and libgit2 write beside a file/folder conflict (found by the fuzz's soak,
    /// seed 260062111: one was committed after an undone merge).</summary>
    private static void RemoveLeftovers(Repository git, Commit? head, string path)
    {
        var absolute = Path.Combine(git.Info.WorkingDirectory, path);
        var dir = Path.GetDirectoryName(absolute)!;
        if (!Directory.Exists(dir)) return;
        foreach (var leftover in Directory.EnumerateFileSystemEntries(dir, Path.GetFileName(absolute) + "~?*"))
        {
            var relative = Path.GetRelativePath(git.Info.WorkingDirectory, leftover);
            if (head?[relative] is null && (File.Exists(leftover) || new FileInfo(leftover).LinkTarget is not null)) File.Delete(leftover);
        }
    }

    /// <summary>What the merge may have put at each path (every stage of its index entries), read before the index is reset.</summary>
    private static Dictionary<string, List<ConflictVersion>> MergeVersions(Repository git, Commit? head, IEnumerable<string> paths)
    {
        var versions = new Dictionary<string, List<ConflictVersion>>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var entries = git.Index.Conflicts[path] is { } conflict
                ? new[] { conflict.Ancestor, conflict.Ours, conflict.Theirs }
                : new[] { git.Index[path] };
            versions[path] = entries.OfType<IndexEntry>().Where(e => e.Mode != Mode.GitLink).Select(e => ConflictVersion.Read(git, e)).ToList();
            if (head?[path] is { TargetType: TreeEntryTargetType.Blob } committed) // HEAD's own version: restoring it changes nothing
                versions[path].Add(ConflictVersion.Read(git, committed.Target.Id, committed.Mode, path));
        }
        return versions;
    }

    /// <summary>
    /// True when the work tree holds nothing at the path, or what the merge wrote there (a version, or conflict markers):
    /// anything else was saved by the user after the merge stopped, and is kept (and committed next).
    /// </summary>
    private static bool WrittenByTheMerge(Repository git, string path, IReadOnlyList<ConflictVersion> versions)
    {
        var absolute = Path.Combine(git.Info.WorkingDirectory, path);
        if (!WorkTreeEntry.Exists(absolute) || WorkTreeEntry.IsFolder(absolute)) return true;
        return versions.Any(v => v.IsAt(absolute)) || WorkTreeEntry.HasConflictMarkers(absolute);
    }

    private static void Restore(Repository git, Commit? head, string path)
    {
        var absolute = Path.Combine(git.Info.WorkingDirectory, path);
        if (head?[path] is { TargetType: TreeEntryTargetType.Blob })
        {
            git.CheckoutPaths(head.Sha, [path], new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force });
            return;
        }
        if (File.Exists(absolute) || new FileInfo(absolute).LinkTarget is not null) File.Delete(absolute);
    }
}
