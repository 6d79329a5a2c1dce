using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Topology;

namespace Tether.Tests.Network;

/// <summary>The daemon's remote workers record the topology too, and it reaches the peer with ordinary pushes.</summary>
public class DaemonTopologyTests
{
    [Fact]
    public async Task ADaemonRecordsTheRemotesItReachesAndPushesTheRecord()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        using var node = await WatchingNode.StartAsync(a, b);
        var repoA = AnnexRepository.Open(a);
        var repoB = AnnexRepository.Open(b);

        File.WriteAllText(Path.Combine(a, "note.txt"), "first\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Contains("note.txt"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        File.WriteAllText(Path.Combine(a, "note2.txt"), "second\n"); // the next commit also commits the journalled record, then pushes it

        await Eventually.TrueAsync(() =>
        {
            using var branch = new GitAnnexBranch(repoB, TimeProvider.System);
            var links = TopologyLog.Current(branch.ReadCommitted(TopologyLog.BranchPath) + GitCli.TryRun(b, "show", "synced/git-annex:" + TopologyLog.BranchPath).Output);
            return links.Any(l => l.RepoUuid == repoA.RequireUuid() && l.RemoteUuid == repoB.RequireUuid() && l.RemoteName == "b");
        }, TimeSpan.FromSeconds(30), node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }
}
