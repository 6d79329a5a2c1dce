using Tether.Kernel.AnnexBranch;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Topology;
using Tether.Kernel.Wants;

namespace Tether.Tests.Network;

/// <summary>The topology travels on the git-annex branch with ordinary syncs.</summary>
public class TopologySyncTests
{
    /// <summary>A→B→C→D and back (D→C→B→A), plus an expensive A→D; synced until the records spread.</summary>
    internal static async Task<Node[]> ChainAsync(TempFolder dir, int rounds = 3)
    {
        var nodes = new Node[4];
        string[] names = ["a", "b", "c", "d"];
        for (var i = 0; i < 4; i++) nodes[i] = await Node.CreateAsync(dir.Combine(names[i]), names[i]);
        for (var i = 0; i < 3; i++) { nodes[i].AddRemote(nodes[i + 1], 10); nodes[i + 1].AddRemote(nodes[i], 10); }
        nodes[0].AddRemote(nodes[3], 1000);
        for (var round = 0; round < rounds; round++)
            foreach (var node in nodes) await node.SyncAsync();
        return nodes;
    }

    private static NetworkGraph GraphOf(Node node)
    {
        using var branch = new GitAnnexBranch(node.Repo, TimeProvider.System);
        return NetworkGraph.Read(branch);
    }

    [Fact]
    public async Task AfterOrdinarySyncsEveryNodeKnowsTheWholeGraph()
    {
        using var dir = new TempFolder();
        var nodes = await ChainAsync(dir);
        foreach (var node in nodes)
        {
            var graph = GraphOf(node);
            Assert.Equal(["a", "b", "c", "d"], graph.Nodes.Select(n => n.Description).Order());
            Assert.Equal(7, graph.Links.Count);
            var a = nodes[0].Repo.RequireUuid();
            var d = nodes[3].Repo.RequireUuid();
            Assert.Equal(1000, graph.Links.Single(l => l.RepoUuid == a && l.RemoteUuid == d).Cost);
            Assert.All(graph.Links, l => Assert.True(DateTimeOffset.UtcNow - l.LastReached < TimeSpan.FromMinutes(5)));
            var tree = graph.TreeFrom(a);
            Assert.Empty(tree.Unreachable);
            Assert.Equal(30, tree.TotalCost);
        }
    }

    [Fact]
    public async Task ARepeatedSyncDoesNotRewriteFreshLines()
    {
        using var dir = new TempFolder();
        var nodes = await ChainAsync(dir, rounds: 1);
        var a = nodes[0].Repo.RequireUuid();
        var before = GraphOf(nodes[0]).Links.Where(l => l.RepoUuid == a).ToList();
        await nodes[0].SyncAsync();
        Assert.Equal(before, GraphOf(nodes[0]).Links.Where(l => l.RepoUuid == a));
    }

    [Fact]
    public async Task GitAnnexLeavesTheTopologyFileAlone()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests (it installs the apt package git-annex)");
        using var dir = new TempFolder();
        var nodes = await ChainAsync(dir, rounds: 2);
        nodes[0].Write("big.bin", new string('x', 4096));
        nodes[2].Wants = Kernel.Wants.WantedContent.Matching(["photos/**"]); // tether/wants.log too
        foreach (var node in nodes) await node.SyncAsync();
        Assert.Contains("photos/**", GitCli.Run(nodes[3].Path, "show", $"git-annex:{WantsLog.BranchPath}"));
        var before = GitCli.Run(nodes[0].Path, "show", $"git-annex:{TopologyLog.BranchPath}");

        var fsck = GitCli.TryRun(nodes[3].Path, "annex", "fsck");
        Assert.True(fsck.ExitCode == 0, fsck.Output);
        fsck = GitCli.TryRun(nodes[0].Path, "annex", "fsck");
        Assert.True(fsck.ExitCode == 0, fsck.Output);
        var info = GitCli.TryRun(nodes[0].Path, "annex", "info", "--fast");
        Assert.True(info.ExitCode == 0, info.Output);
        Assert.DoesNotContain("topology", info.Output);
        var sync = GitCli.TryRun(nodes[1].Path, "annex", "sync", "--no-content");
        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.Equal(before, GitCli.Run(nodes[0].Path, "show", $"git-annex:{TopologyLog.BranchPath}"));
        Assert.Equal(TopologyLog.Current(before), TopologyLog.Current(GitCli.Run(nodes[1].Path, "show", $"git-annex:{TopologyLog.BranchPath}")));
    }
}
