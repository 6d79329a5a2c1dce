using LibGit2Sharp;

namespace Tether.Kernel.Repositories;

/// <summary>
/// Where a repository's parts live on disk. Holds paths only: LibGit2Sharp repositories are opened
/// per use (one per thread, never shared), see <see cref="OpenGit"/>.
/// </summary>
public sealed class AnnexRepository
{
    public string GitDir { get; }
    public string? WorkTree { get; }
    public bool IsBare => WorkTree is null;

    private AnnexRepository(string gitDir, string? workTree)
    {
        GitDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(gitDir));
        WorkTree = workTree is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(workTree));
    }

    public string AnnexDir => Path.Combine(GitDir, "annex");
    public string ObjectsDir => Path.Combine(AnnexDir, "objects");
    public string TmpDir => Path.Combine(AnnexDir, "tmp");
    public string JournalDir => Path.Combine(AnnexDir, "journal");
    public string JournalLockPath => Path.Combine(AnnexDir, "journal.lck");
    /// <summary>Tether's own state inside the git dir (locks, queues, logs): never synced.</summary>
    public string StateDir => Path.Combine(GitDir, "tether");

    /// <summary>Objects this process checked against their keys, untouched since (see <see cref="Annex.VerifiedObjects"/>).</summary>
    internal Annex.VerifiedObjects VerifiedObjects { get; } = new();
    /// <summary>The node-local config folder in the work tree (excluded from git).</summary>
    public string? ConfigDir => WorkTree is null ? null : Path.Combine(WorkTree, ".tether");
    public string DisplayPath => WorkTree ?? GitDir;

    /// <summary>Opens the repository at or above <paramref name="path"/>.</summary>
    public static AnnexRepository Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new RepositoryNotFoundException($"'{path}' does not exist");
        var discovered = Repository.Discover(full)
            ?? throw new RepositoryNotFoundException(!IsEmptyFolder(full)
                ? $"'{path}' is not in a git repository (run 'tether init' there first)"
                : $"'{path}' is empty and not in a git repository: if a drive holding a repository is mounted here, mount it again; else run 'tether init' there first");
        using var repo = new Repository(discovered);
        return new AnnexRepository(repo.Info.Path, repo.Info.IsBare ? null : repo.Info.WorkingDirectory);
    }

    private static bool IsEmptyFolder(string path)
    {
        try { return !Directory.EnumerateFileSystemEntries(path).Any(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Opens the repository exactly at <paramref name="path"/> (a remote): no search upwards into a parent repository.</summary>
    public static AnnexRepository OpenExact(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new RepositoryNotFoundException($"'{path}' does not exist");
        var gitDir = Directory.Exists(Path.Combine(full, ".git")) ? Path.Combine(full, ".git") : full;
        if (!Repository.IsValid(gitDir)) throw new RepositoryNotFoundException($"'{path}' is not a git repository");
        using var repo = new Repository(gitDir);
        return new AnnexRepository(repo.Info.Path, repo.Info.IsBare ? null : repo.Info.WorkingDirectory);
    }

    /// <summary>A work tree's repository by its layout alone (a .git folder in it), without opening git: null when it has none.</summary>
    public static AnnexRepository? TryOpenWorkTree(string workTree)
    {
        var gitDir = Path.Combine(workTree, ".git");
        return Directory.Exists(gitDir) ? new AnnexRepository(gitDir, workTree) : null;
    }

    public static bool TryOpen(string path, out AnnexRepository repository)
    {
        try { repository = Open(path); return true; }
        catch (RepositoryNotFoundException) { repository = null!; return false; }
    }

    public Repository OpenGit() => new(GitDir);

    /// <summary>
    /// Creates a folder inside the git folder (and the folders between), never the git folder itself: when that is gone
    /// (the repository moved or deleted, its drive unmounted) this throws instead of starting a new one in its place.
    /// </summary>
    public void CreateFolderInGitDir(string folder)
    {
        if (!Directory.Exists(GitDir)) throw new DirectoryNotFoundException($"the git folder {GitDir} is gone (moved, deleted or unmounted?)");
        Directory.CreateDirectory(folder);
    }

    /// <summary>The repository's annex UUID (git config annex.uuid), or null if it was never initialised.</summary>
    public string? ReadUuid()
    {
        using var repo = OpenGit();
        return repo.Config.Get<string>("annex.uuid")?.Value;
    }

    public string RequireUuid() => ReadUuid()
        ?? throw new InvalidOperationException($"{DisplayPath} has no annex UUID: run 'tether init' (or 'git annex init') there first");

    /// <summary>Absolute path of a repository-relative path ('/'-separated); refuses anything that escapes the work tree.</summary>
    public string WorkPath(string relativePath)
    {
        if (WorkTree is null) throw new InvalidOperationException("a bare repository has no work tree");
        return SafePaths.Combine(WorkTree, relativePath);
    }
}
