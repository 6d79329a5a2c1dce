using System.Text;
using LibGit2Sharp;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// Names in a tree received from a remote are data: before a merge touches the work tree or a ref, every path it
/// would bring in is checked. Refused: a component that is empty, "." or ".." (a hand-made tree can hold them),
/// any ".git", the node-local ".tether" folder (config, hooks, plugins: a peer must never install code here), two
/// entries of one name in a tree (git fsck's duplicateEntries: a link and a folder both named so cannot both be in a work
/// tree), a mode git does not write, a name longer than the filesystem's 255 bytes, and a path whose place in our work
/// tree is longer than PATH_MAX: none of these can be written here, and a merge failing on them would fail for ever.
/// Only subtrees that differ from ours are walked (identical ones are skipped), so a large tree costs little.
/// </summary>
public static class ReceivedTreeCheck
{
    private const string NodeLocalFolder = ".tether";
    private const int NameMax = 255;
    private const int PathMax = 4096; // Linux's, counting the terminating NUL

    private static readonly HashSet<Mode> WrittenModes =
        [Mode.NonExecutableFile, Mode.ExecutableFile, Mode.SymbolicLink, Mode.Directory, Mode.GitLink];

    /// <summary>Throws when <paramref name="theirs"/> brings in an unsafe path; nothing has been changed at that point.</summary>
    public static void EnsureSafe(Repository git, Tree? ours, Commit theirs, string refName)
    {
        var rootBytes = Encoding.UTF8.GetByteCount(Path.TrimEndingDirectorySeparator(git.Info.WorkingDirectory ?? git.Info.Path));
        var pending = new Stack<(string Prefix, Tree Theirs, Tree? Ours)>([("", theirs.Tree, ours)]);
        while (pending.Count > 0)
        {
            var (prefix, tree, mine) = pending.Pop();
            if (mine is not null && mine.Id == tree.Id) continue;
            var names = new HashSet<string>(StringComparer.Ordinal);
            List<TreeEntry> entries;
            try { entries = tree.ToList(); }
            catch (LibGit2SharpException e) { throw Refusal(refName, theirs, prefix.TrimEnd('/'), $"a malformed tree: {e.Message}"); }
            foreach (var entry in entries)
            {
                var path = prefix + entry.Name;
                if (Problem(entry, path, rootBytes, names) is { } problem) throw Refusal(refName, theirs, path, problem);
                if (entry.TargetType == TreeEntryTargetType.Tree)
                    pending.Push((path + "/", (Tree)entry.Target, mine?[entry.Name] is { TargetType: TreeEntryTargetType.Tree } same ? (Tree)same.Target : null));
            }
        }
    }

    private static string? Problem(TreeEntry entry, string path, int rootBytes, HashSet<string> names)
    {
        // A folder is judged by what it holds (reported as its first file, e.g. '../evil'): an empty one writes nothing.
        if (entry.Name.Contains('/') || entry.TargetType != TreeEntryTargetType.Tree && !IsSafe(path)) return "outside the work tree, into .git, or into the node-local .tether folder";
        if (!names.Add(entry.Name)) return "two entries of that name in one tree";
        if (!WrittenModes.Contains(entry.Mode)) return $"mode {Convert.ToString((int)entry.Mode, 8)}, which git does not write";
        if (Encoding.UTF8.GetByteCount(entry.Name) > NameMax) return $"a name longer than {NameMax} bytes";
        if (entry.TargetType != TreeEntryTargetType.Tree && rootBytes + 1 + Encoding.UTF8.GetByteCount(path) >= PathMax) return $"a path longer than {PathMax - 1} bytes in this work tree";
        return null;
    }

    private static InvalidOperationException Refusal(string refName, Commit theirs, string path, string reason)
    {
        var shown = path.Length > 300 ? path[..150] + "…" + path[^150..] : path;
        shown = shown.Replace("\n", "\\n").Replace("\0", "\\0");
        return new InvalidOperationException(
            $"refusing to merge {refName} (commit {theirs.Sha[..10]}): it brings the unsafe path '{shown}' ({reason}); nothing was changed");
    }

    public static bool IsSafe(string path) =>
        SafePaths.IsSafeRelative(path)
        && !path.Split('/').Any(part => part.Equals(".git", StringComparison.OrdinalIgnoreCase))
        && !(path == NodeLocalFolder || path.StartsWith(NodeLocalFolder + "/", StringComparison.Ordinal));
}
