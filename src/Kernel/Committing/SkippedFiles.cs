using Microsoft.Extensions.Logging;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Kernel.Git;

namespace Tether.Kernel.Committing;

/// <summary>
/// Work-tree entries that are not synced as they are, each told to the user once (a warning naming the path):
/// special files (FIFOs, device nodes, sockets: never opened, never committed; git's status does not even list them),
/// files that cannot be read (left out until they can), and symlinks pointing outside the repository (committed as
/// links, as git and git-annex do, but never followed: what they point to is not synced).
/// </summary>
internal sealed class SkippedFiles(string root, ILogger log)
{
    private static readonly string[] NotScanned = [".git", ".tether"];
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);

    /// <summary>True (and told) when the entry is a special file, which is never read.</summary>
    public bool IsSpecial(string relative, string absolute)
    {
        if (NativeFileType.DescribeSpecial(absolute) is not { } kind) return false;
        Tell(relative, "Skipping {Path}: a {Kind} is not a regular file, symlink or folder; it is never read nor committed", relative, kind);
        return true;
    }

    /// <summary>True (and told) when a regular file cannot be opened for reading (e.g. mode 000): it is left out until it can.</summary>
    public bool IsUnreadable(string relative, string absolute)
    {
        try
        {
            using var handle = File.OpenHandle(absolute, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            _told.Remove(relative);
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            Tell(relative, "Skipping {Path}: it cannot be read (permission denied); it is committed once it can be read", relative);
            return true;
        }
        catch (FileNotFoundException) { return false; } // gone meanwhile: staged as a removal
    }

    /// <summary>Tells about a symlink whose target lies outside the repository (committed as a link all the same).</summary>
    public void CheckLinkTarget(string relative, string absolute, string target)
    {
        var resolved = Path.GetFullPath(target, Path.GetDirectoryName(absolute)!);
        if (SafePaths.RelativeTo(root, resolved) is not null) return;
        Tell(relative, "{Path} is a symlink to {Target}, outside the repository: committed as a link, as git does; never followed, what it points to is not synced", relative, target);
    }

    /// <summary>Finds and tells the special files among the given paths, or (null) in the whole work tree: git's status never lists them.</summary>
    public void TellSpecialFiles(IReadOnlyCollection<string>? paths)
    {
        foreach (var relative in paths ?? AllFiles())
            if (SafePaths.IsSafeRelative(relative)) IsSpecial(relative, Path.Combine(root, relative));
    }

    private IEnumerable<string> AllFiles()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
        var folders = new Stack<string>([root]);
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
            {
                if (folder == root && NotScanned.Contains(entry.Name)) continue;
                if (entry is DirectoryInfo && entry.LinkTarget is null) folders.Push(entry.FullName);
                else if (entry is FileInfo) yield return Path.GetRelativePath(root, entry.FullName);
            }
        }
    }

    private void Tell(string relative, string message, params object[] args)
    {
        if (_told.Add(relative)) log.LogWarning(message, args);
    }
}
