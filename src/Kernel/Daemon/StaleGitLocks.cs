using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Daemon;

/// <summary>
/// After a crash, git's lock files (index.lock, HEAD.lock, refs) can be left behind and block every later
/// commit. At daemon start (we hold the daemon lock), a lock file that no process has open and that is
/// older than a minute is removed, as the git-annex assistant's sanity checker does.
/// </summary>
public static class StaleGitLocks
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);

    public static void Remove(AnnexRepository repo, TimeProvider clock, ILogger log)
    {
        var candidates = new[] { "index.lock", "HEAD.lock", "packed-refs.lock" }.Select(n => Path.Combine(repo.GitDir, n))
            .Concat(EnumerateRefLocks(repo.GitDir)).Where(File.Exists).ToList();
        if (candidates.Count == 0) return;
        var open = OpenFilesOfAllProcesses();
        foreach (var path in candidates)
        {
            var age = clock.GetUtcNow() - File.GetLastWriteTimeUtc(path);
            if (age < MinimumAge || open.Contains(Path.GetFullPath(path))) continue;
            log.LogWarning("Removing stale git lock {Path} (left by a crashed process {Age:g} ago)", path, age);
            File.Delete(path);
        }
    }

    private static IEnumerable<string> EnumerateRefLocks(string gitDir)
    {
        var refs = Path.Combine(gitDir, "refs");
        return Directory.Exists(refs) ? Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories) : [];
    }

    /// <summary>Targets of /proc/*/fd/* that this user can see.</summary>
    private static HashSet<string> OpenFilesOfAllProcesses()
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fdDir in SafeEnumerate("/proc", "[0-9]*").Select(p => Path.Combine(p, "fd")))
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
