namespace Tether.Kernel.Repositories;

/// <summary>Joins untrusted relative paths (from git trees, remotes, the command line) to a root, refusing traversal.</summary>
public static class SafePaths
{
    public static string Combine(string root, string relativePath)
    {
        if (!IsSafeRelative(relativePath))
            throw new ArgumentException($"refusing unsafe path '{relativePath.Replace("\n", "\\n").Replace("\0", "\\0")}'");
        return Path.Combine(root, relativePath);
    }

    public static bool IsSafeRelative(string relativePath) =>
        relativePath.Length > 0
        && !relativePath.StartsWith('/')
        && !relativePath.Contains('\0')
        && relativePath.Split('/').All(part => part is not ("" or "." or ".."));

    /// <summary>The repository-relative, '/'-separated form of an absolute path under root, or null if outside.</summary>
    public static string? RelativeTo(string root, string absolutePath)
    {
        var rel = Path.GetRelativePath(root, Path.GetFullPath(absolutePath));
        if (rel == "." ) return "";
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? null : rel.Replace('\\', '/');
    }
}
