using Tether.Kernel.Native;

namespace Tether.Kernel.Shell;

/// <summary>
/// Where a forced command's path really is, and whether it is inside the key's directory: both resolved by realpath(3)
/// (every symlink, <c>.</c> and <c>..</c>), so neither a link planted inside the directory nor a <c>..</c> reaches out.
/// The resolved path is what is then served, so what was checked is what is opened. A relative path (and <c>~/</c>)
/// is from the home folder, where sshd starts the command; <c>~user</c> is refused.
/// </summary>
public static class ShellConfinement
{
    /// <exception cref="ShellRefusedException">No repository there, or it is outside the directory.</exception>
    /// <param name="gitSuffixes">Also try <c>PATH.git</c>, as git-upload-pack does for <c>host:repo</c>.</param>
    public static string Resolve(string requested, string? directory, string home, bool gitSuffixes = false)
    {
        var shown = ForcedRequest.Shown(requested);
        var path = requested == "~" ? home
            : requested.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, requested[2..])
            : requested.StartsWith('~') ? throw new ShellRefusedException($"'{shown}': another user's home (~user) is refused")
            : Path.IsPathRooted(requested) ? requested : Path.Combine(home, requested);
        var real = NativeFileSystem.RealPath(path) ?? (gitSuffixes ? NativeFileSystem.RealPath(path + ".git") : null);
        if (directory is null)
            return real ?? throw new ShellRefusedException($"no repository at '{shown}'");
        var root = NativeFileSystem.RealPath(Path.GetFullPath(directory, home))
                   ?? throw new ShellRefusedException($"the directory this key is limited to ({ForcedRequest.Shown(directory)}) does not exist; refusing everything");
        // Said the same way whether it is missing or outside, so a key cannot probe what exists beyond its directory.
        if (real is null || !IsInside(real, root))
            throw new ShellRefusedException($"'{shown}' is not a repository inside {root} (the only directory this key may reach)");
        return real;
    }

    public static bool IsInside(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}
