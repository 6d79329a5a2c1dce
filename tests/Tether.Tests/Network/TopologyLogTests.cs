using Tether.Kernel.AnnexBranch;
using Xunit;
using Tether.Kernel.Topology;

namespace Tether.Tests.Network;

public class TopologyLogTests
{
    private static TopologyRecord R(string repo, string remote, int cost, decimal time) =>
        new(repo, remote, "r-" + remote, "local", cost, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), new AnnexTimestamp(time));

    [Fact]
    public void ALineRoundTrips()
    {
        var record = R("u1", "u2", 150, 1700000000.5m);
        Assert.Equal("u1 u2 name=r-u2 backend=local cost=150 lastreached=1700000000 timestamp=1700000000.5s", record.ToString());
        Assert.Equal([record], TopologyLog.Parse(record + "\n"));
    }

    [Fact]
    public void AfterAUnionMergeTheNewestLinePerPairWins()
    {
        var ours = TopologyLog.Format([R("u1", "u2", 100, 10), R("u1", "u3", 5, 10)]);
        var theirs = TopologyLog.Format([R("u1", "u2", 300, 20), R("u4", "u1", 7, 1)]);
        var merged = GitAnnexBranch.UnionLines(ours, theirs);
        var current = TopologyLog.Current(merged);
        Assert.Equal([300, 5, 7], current.Select(r => r.Cost));
        Assert.Equal(3, TopologyLog.Parse(TopologyLog.With(merged, R("u1", "u3", 9, 30))).Count());
    }

    [Fact]
    public void ARemovedLinkOutlivesAnOlderCopyBroughtBackByAUnionMerge()
    {
        var removed = R("u1", "u2", 100, 20) with { Removed = true };
        Assert.Contains(" removed=1 ", removed.ToString());
        var merged = GitAnnexBranch.UnionLines(TopologyLog.Format([removed]), TopologyLog.Format([R("u1", "u2", 100, 10)]));
        Assert.True(Assert.Single(TopologyLog.Current(merged)).Removed);
        Assert.Empty(NetworkGraph.From(new Dictionary<string, string>(), TopologyLog.Current(merged)).Links);
    }

    [Fact]
    public void LinesThatDoNotParseAreIgnored()
    {
        Assert.Empty(TopologyLog.Parse("garbage\nu1 u2 cost=x timestamp=1s\nu1 u2 cost=3\n"));
    }

    [Fact]
    public void TheGraphKnowsNodesOnlyNamedInUuidLogAndOnlyAsRemotes()
    {
        var graph = NetworkGraph.From(new Dictionary<string, string> { ["u1"] = "laptop", ["u9"] = "lost" }, [R("u1", "u2", 1, 1)]);
        Assert.Equal(["u1", "u2", "u9"], graph.Nodes.Select(n => n.Uuid));
        Assert.Equal("laptop", graph.Node("u1")!.Label);
        Assert.Equal(["u9"], graph.TreeFrom("u1").Unreachable);
    }
}
