using Microsoft.Extensions.Logging;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Kernel.Git;
using Tether.Platform.Processes;

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

    /// <summary>Tells about a git repository inside the work tree, which git (and so Tether) commits as a link to its commit.</summary>
    public void TellNestedRepository(string relative) =>
        Tell(relative, "{Path} is a git repository of its own: committed as git add commits one, as a link to its current commit (a gitlink); the files in it are not synced by this repository", relative);

    /// <summary>Tells about a symlink whose target lies outside the repository (committed as a link all the same).</summary>
    public void CheckLinkTarget(string relative, string absolute, string target)
    {
        var resolved = Path.GetFullPath(target, Path.GetDirectoryName(absolute)!);
        if (SafePaths.RelativeTo(root, resolved) is not null) return;
        Tell(relative, "{Path} is a symlink to {Target}, outside the repository: committed as a link, as git does; never followed, what it points to is not synced", relative, target);
    }

    /// <summary>Finds and tells the special files among the given paths, or (null) in the whole work tree: git's status never lists them.</summary>
    public async Task TellSpecialFilesAsync(IReadOnlyCollection<string>? paths, CancellationToken ct)
    {
        foreach (var relative in paths ?? await SpecialFilesAsync(ct))
            if (SafePaths.IsSafeRelative(relative)) IsSpecial(relative, Path.Combine(root, relative));
    }

    /// <summary>
    /// The special files of the work tree, as find lists them: it reads each folder's entry types and stats nothing, a
    /// tenth of what a walk from here costs at 100,000 files. Never follows a link.
    /// </summary>
    private async Task<IReadOnlyList<string>> SpecialFilesAsync(CancellationToken ct)
    {
        List<string> args = ["."];
        foreach (var name in NotScanned) args.AddRange(["-path", "./" + name, "-prune", "-o"]);
        args.AddRange(["(", "-type", "p", "-o", "-type", "s", "-o", "-type", "b", "-o", "-type", "c", ")", "-print0"]);
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec("find", args) { WorkingDirectory = root, MissingHint = "install findutils" }, ct); }
        catch (ProcessStartException e)
        {
            log.LogDebug("Special files not looked for: {Error}", e.Message); // only a warning is lost: they are never committed
            return [];
        }
        if (result.ExitCode != 0 && string.IsNullOrEmpty(result.Stdout))
        {
            log.LogDebug("Listing special files failed ({Error})", result.ErrorText);
            return [];
        }
        return [.. result.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(p => p.StartsWith("./", StringComparison.Ordinal) ? p[2..] : p)];
    }

    private void Tell(string relative, string message, params object[] args)
    {
        if (_told.Add(relative)) log.LogWarning(message, args);
    }
}
