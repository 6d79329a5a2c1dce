using LibGit2Sharp;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// Names in a tree received from a remote are data: before a merge touches the work tree or a ref, every path it
/// would bring in is checked. Refused: a component that is empty, "." or ".." (a hand-made tree can hold them),
/// any ".git", and the node-local ".tether" folder (config, hooks, plugins: a peer must never install code here).
/// Only what differs from our tree is walked (identical subtrees are skipped), so a large tree costs little.
/// </summary>
public static class ReceivedTreeCheck
{
    private const string NodeLocalFolder = ".tether";

    /// <summary>Throws when <paramref name="theirs"/> brings in an unsafe path; nothing has been changed at that point.</summary>
    public static void EnsureSafe(Repository git, Tree? ours, Commit theirs, string refName)
    {
        using var changes = git.Diff.Compare<TreeChanges>(ours, theirs.Tree);
        foreach (var change in changes)
        {
            if (change.Status == ChangeKind.Deleted || IsSafe(change.Path)) continue;
            var shown = change.Path.Replace("\n", "\\n").Replace("\0", "\\0");
            throw new InvalidOperationException(
                $"refusing to merge {refName} (commit {theirs.Sha[..10]}): it brings the unsafe path '{shown}' "
                + "(outside the work tree, into .git, or into the node-local .tether folder); nothing was changed");
        }
    }

    public static bool IsSafe(string path) =>
        SafePaths.IsSafeRelative(path)
        && !path.Split('/').Any(part => part.Equals(".git", StringComparison.OrdinalIgnoreCase))
        && !(path == NodeLocalFolder || path.StartsWith(NodeLocalFolder + "/", StringComparison.Ordinal));
}
