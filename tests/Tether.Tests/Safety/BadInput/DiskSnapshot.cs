using System.Security.Cryptography;
using System.Text;
using Tether.Kernel.Native;
using Tether.Tests.Support;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// What a repository holds on disk, for "nothing changed" assertions: every ref, the index, every work-tree
/// entry (files by content hash, symlinks by target, special files by type), git config and the annex objects.
/// </summary>
public sealed record DiskSnapshot(string Refs, string Index, string Config, string WorkTree, string Objects)
{
    /// <summary>Lets root read a repository another user owns (tests running tether as nobody).</summary>
    private static readonly string[] AnyOwner = ["-c", "safe.directory=*"];

    /// <param name="refs">for-each-ref patterns of the refs to compare (all when none: a fetch moves refs/remotes legitimately).</param>
    public static DiskSnapshot Of(string repo, params string[] refs)
    {
        var gitDir = Path.Combine(repo, ".git");
        return new DiskSnapshot(
            GitCli.TryRun(repo, [.. AnyOwner, "for-each-ref", "--format=%(refname) %(objectname)", .. refs]).Output + GitCli.TryRun(repo, [.. AnyOwner, "symbolic-ref", "HEAD"]).Output,
            HashOf(Path.Combine(gitDir, "index")),
            File.ReadAllText(Path.Combine(gitDir, "config")),
            Listing(repo, skip: ".git"),
            Listing(Path.Combine(gitDir, "annex", "objects"), skip: null));
    }

    /// <summary>Each entry under <paramref name="root"/> with what identifies its content, sorted.</summary>
    public static string Listing(string root, string? skip)
    {
        if (!Directory.Exists(root)) return "";
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            var relative = Path.GetRelativePath(root, path);
            if (skip is not null && (relative == skip || relative.StartsWith(skip + "/", StringComparison.Ordinal))) continue;
            lines.Add($"{relative} {Describe(path)}");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static string Describe(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target) return "-> " + target;
        if ((info.Attributes & FileAttributes.Directory) != 0) return "dir";
        if (NativeFileType.IsSpecial(path)) return "special"; // never opened: a FIFO would block
        return HashOf(path);
    }

    private static string HashOf(string path)
    {
        if (!File.Exists(path)) return "(none)";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public override string ToString() => new StringBuilder()
        .AppendLine("refs:").AppendLine(Refs).AppendLine("index: " + Index).AppendLine("config:").AppendLine(Config)
        .AppendLine("work tree:").AppendLine(WorkTree).AppendLine("objects:").AppendLine(Objects).ToString();
}
