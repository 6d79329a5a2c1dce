using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety;

/// <summary>
/// Found by the fuzz (seed 1, 4 nodes): an empty refs/heads/git-annex.lock that no process held appeared while the
/// daemon ran, and every commit after it failed ("the git-annex branch kept changing under us"), for good: stale
/// locks were only removed when the daemon started. A failed commit now removes locks nobody holds, then retries.
/// </summary>
public sealed class StaleLockWhileRunningTests
{
    [Fact]
    public async Task ALockLeftBehindWhileTheDaemonRunsIsRemovedAndCommitsResume()
    {
        using var dir = new TempFolder();
        using var node = await WatchingNode.StartAsync(dir.Combine("a"));
        File.WriteAllText(node.Combine("first.txt"), "first\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("first.txt"), TimeSpan.FromSeconds(30), node.Daemon.Describe);

        var lockFile = Path.Combine(node.Path, ".git", "refs", "heads", "git-annex.lock");
        File.WriteAllText(lockFile, "");
        File.SetLastWriteTimeUtc(lockFile, DateTime.UtcNow.AddMinutes(-1));
        File.WriteAllText(node.Combine("big.bin"), new string('b', 2 << 20)); // annexed: its location log goes to the git-annex branch

        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("big.bin"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        Assert.False(File.Exists(lockFile));
        Assert.Equal(0, await node.StopAsync());
    }
}
