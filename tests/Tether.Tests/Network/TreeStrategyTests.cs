using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.UploadStrategies;

namespace Tether.Tests.Network;

/// <summary>
/// Strategy tree on a→b→c→d (cost 10 each way) plus an expensive a→d (cost 1000), synced with one-shot syncs
/// in order: content goes down the tree, relayed by b and c, and the expensive edge carries nothing.
/// </summary>
public class TreeStrategyTests
{
    private static readonly string Large = new('T', 8192);

    private static async Task<Node[]> ChainAsync(TempFolder dir, TransferStrategy strategy)
    {
        var nodes = await TopologySyncTests.ChainAsync(dir);
        foreach (var node in nodes) node.Strategy = strategy;
        return nodes;
    }

    private static Key KeyOf(Node node, string file)
    {
        using var git = node.Repo.OpenGit();
        return AnnexedFiles.InTree(git.Head.Tip!.Tree).Single(e => e.Path == file).Key;
    }

    private static bool Has(Node node, Key key) => new ObjectStore(node.Repo).Contains(key);

    [Fact]
    public async Task ContentGoesDownTheTreeAndNeverOverTheExpensiveEdge()
    {
        using var dir = new TempFolder();
        var nodes = await ChainAsync(dir, TransferStrategy.Tree);
        var (a, b, c, d) = (nodes[0], nodes[1], nodes[2], nodes[3]);
        a.Write("video.bin", Large);

        var fromA = await a.SyncAsync();
        var key = KeyOf(a, "video.bin");
        Assert.Equal(1, fromA.Uploaded);
        Assert.True(Has(b, key));
        Assert.False(Has(d, key), "a sent the content over the expensive a→d edge");

        var fromB = await b.SyncAsync();
        Assert.Equal((1, 0), (fromB.Uploaded, fromB.Downloaded));
        Assert.True(Has(c, key));
        var fromC = await c.SyncAsync();
        Assert.Equal((1, 0), (fromC.Uploaded, fromC.Downloaded));
        var fromD = await d.SyncAsync();
        Assert.Equal((0, 0), (fromD.Uploaded, fromD.Downloaded));

        Assert.All(nodes, n => Assert.True(Has(n, key), $"{n.Name} lacks the content"));
        Assert.All(nodes, n => Assert.Equal(Large, n.Read("video.bin")));
        // One copy per tree edge: 3 transfers, cost 30 (flood's first pass costs 1020, below).
        Assert.Equal(3, fromA.Uploaded + fromB.Uploaded + fromC.Uploaded + fromD.Uploaded);
    }

    [Fact]
    public async Task FloodUsesTheExpensiveEdgeWhereTreeDoesNot()
    {
        using var dir = new TempFolder();
        var nodes = await ChainAsync(dir, TransferStrategy.Flood);
        nodes[0].Write("video.bin", Large);
        var fromA = await nodes[0].SyncAsync();
        Assert.Equal(2, fromA.Uploaded);
        Assert.True(Has(nodes[3], KeyOf(nodes[0], "video.bin")));
    }

    [Fact]
    public async Task WhenTheRelayIsDeadContentStillReachesEveryoneByFlooding()
    {
        using var dir = new TempFolder();
        var nodes = await ChainAsync(dir, TransferStrategy.Tree);
        var (a, b, c, d) = (nodes[0], nodes[1], nodes[2], nodes[3]);
        Directory.Move(b.Path, b.Path + ".dead");
        a.Write("video.bin", Large);

        var fromA = await a.SyncAsync();
        var key = KeyOf(a, "video.bin");
        Assert.NotEmpty(fromA.Remotes["b"].Errors);
        Assert.True(Has(d, key), "with its tree child dead, a should flood to the remotes it can reach");
        await c.SyncAsync();
        await d.SyncAsync();
        Assert.True(Has(c, key));
        Assert.Equal(Large, c.Read("video.bin"));
    }

    [Fact]
    public async Task WithoutAKnownTopologyTreeFloods()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b); a.Strategy = TransferStrategy.Tree;
        a.Write("video.bin", Large);
        await a.SyncAsync();
        Assert.True(Has(b, KeyOf(a, "video.bin")));
    }

    [Fact]
    public void TheOriginIsTheOldestPresentCopy()
    {
        var log = "1700000010s 1 u-relay\n1700000005s 0 u-gone\n1700000007s 1 u-origin\n";
        Assert.Equal("u-origin", ContentOrigin.Of(log));
        Assert.Null(ContentOrigin.Of(null));
    }
}
