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
        if (head is null)
        {
            git.Index.Clear();
            git.Index.Write();
        }
        else git.Reset(ResetMode.Mixed, head); // the index only (conflict entries too); the work tree is restored path by path
        foreach (var path in touched)
        {
            Restore(git, head, path);
            RemoveLeftovers(git, head, path);
        }
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
