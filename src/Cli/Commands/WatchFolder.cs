using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>
/// Which folder `tether watch` keeps in sync: DIR when given; with no DIR the Tether repository the command runs in,
/// else the configured folder ($TETHER_FOLDER) or the default ~/Tether, never a folder it was not pointed at.
/// </summary>
public sealed record WatchFolder(string Path, string? Why)
{
    public const string FolderVariable = "TETHER_FOLDER";

    public static WatchFolder Choose(string? dir, string currentDirectory, Func<string, string?> environment)
    {
        if (dir is not null) return new WatchFolder(System.IO.Path.GetFullPath(dir, currentDirectory), null);
        if (AnnexRepository.TryOpen(currentDirectory, out var here) && !here.IsBare && here.ReadUuid() is not null)
            return new WatchFolder(here.WorkTree!, "the Tether repository you are in");
        if (environment(FolderVariable) is { Length: > 0 } configured)
            return new WatchFolder(System.IO.Path.GetFullPath(ExpandHome(configured, environment), currentDirectory), $"${FolderVariable}");
        return new WatchFolder(System.IO.Path.Combine(Home(environment), "Tether"),
            $"the default; the current folder is not a Tether repository: give DIR or set {FolderVariable} for another");
    }

    /// <summary>
    /// Refuses a folder that is itself a git repository Tether (or git-annex) has not set up: adopting it would commit
    /// the project's uncommitted work and annex its large files, which only an explicit `tether init` may do.
    /// </summary>
    public static void RefuseForeignRepository(string path)
    {
        if (!Directory.Exists(path) || !AnnexRepository.TryOpen(path, out var repo) || repo.ReadUuid() is not null) return;
        var root = System.IO.Path.TrimEndingDirectorySeparator(repo.WorkTree ?? repo.GitDir);
        if (root != System.IO.Path.TrimEndingDirectorySeparator(path)) return; // a new folder inside another project gets its own repository
        throw new ArgumentException($"{path} is a git repository that Tether has not set up: 'tether init {path}' adopts it " +
            "(commits its uncommitted work, annexes its large files); or give 'tether watch' another folder");
    }

    private static string Home(Func<string, string?> environment) =>
        environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ExpandHome(string path, Func<string, string?> environment) =>
        path == "~" ? Home(environment) : path.StartsWith("~/", StringComparison.Ordinal) ? System.IO.Path.Combine(Home(environment), path[2..]) : path;
}
