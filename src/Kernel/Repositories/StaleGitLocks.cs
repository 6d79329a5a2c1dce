using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;
using Tether.Kernel.Daemon;

namespace Tether.Kernel.Repositories;

/// <summary>
/// After a crash, git's lock files (index.lock, HEAD.lock, refs) can be left behind and block every later
/// commit. Before the daemon or a one-shot sync starts, a lock file that no process has open is removed, as
/// the git-annex assistant's sanity checker does: git and libgit2 keep a lock file open from its creation
/// to its rename, so a lock nobody holds open is a dead process's. A lock younger than two seconds is
/// looked at again after that, so one being created while /proc is read is never taken for dead.
/// </summary>
public static class StaleGitLocks
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(2);

    public static async Task RemoveAsync(AnnexRepository repo, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        var candidates = Candidates(repo);
        if (candidates.Count == 0) return;
        var youngest = candidates.Select(p => clock.GetUtcNow() - File.GetLastWriteTimeUtc(p)).Min();
        if (youngest < MinimumAge) await Task.Delay(MinimumAge - youngest, clock, ct);
        var open = OpenFilesOfAllProcesses();
        foreach (var path in Candidates(repo).Where(p => !open.Contains(Path.GetFullPath(p))))
        {
            log.LogWarning("Removing stale git lock {Path}: no process holds it (left by a crashed process)", path);
            File.Delete(path);
        }
    }

    /// <summary>Every "*.lock" directly in .git (index, HEAD, packed-refs, config, and the merge state files MERGE_HEAD,
    /// MERGE_MODE, MERGE_MSG, ORIG_HEAD: a stale MERGE_MODE.lock failed every merge of a node for good in a soak) and under refs/.</summary>
    private static List<string> Candidates(AnnexRepository repo) =>
        SafeEnumerate(repo.GitDir, "*.lock").Concat(EnumerateRefLocks(repo.GitDir)).Where(File.Exists).ToList();

    private static IEnumerable<string> EnumerateRefLocks(string gitDir)
    {
        var refs = Path.Combine(gitDir, "refs");
        return Directory.Exists(refs) ? Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories) : [];
    }

    /// <summary>Targets of /proc/*/fd/* that this user can see.</summary>
    private static HashSet<string> OpenFilesOfAllProcesses()
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        var processes = SafeEnumerate("/proc", "*").Where(p => Path.GetFileName(p).All(char.IsAsciiDigit)); // .NET globs have no [0-9]
        foreach (var fdDir in processes.Select(p => Path.Combine(p, "fd")))
            foreach (var fd in SafeEnumerate(fdDir, "*"))
            {
                try { if (new FileInfo(fd).LinkTarget is { } target) open.Add(target); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        return open;
    }

    private static IEnumerable<string> SafeEnumerate(string dir, string pattern)
    {
        try { return Directory.GetFileSystemEntries(dir, pattern); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }
}
