using Xunit;
using Tether.Kernel.Topology;

namespace Tether.Tests.Network;

public class MinimumArborescenceTests
{
    private static DirectedEdge E(string from, string to, long cost) => new(from, to, cost);

    [Fact]
    public void AChainIsItsOwnTree()
    {
        var tree = MinimumArborescence.Find(["a", "b", "c"], [E("a", "b", 1), E("b", "c", 1)], "a");
        Assert.Equal([E("a", "b", 1), E("b", "c", 1)], tree.Edges);
        Assert.Empty(tree.Unreachable);
        Assert.Equal(2, tree.TotalCost);
    }

    [Fact]
    public void RelaysBeatAnExpensiveDirectEdge()
    {
        var edges = new[] { E("a", "b", 1), E("b", "c", 1), E("c", "d", 1), E("a", "d", 100) };
        var tree = MinimumArborescence.Find(["a", "b", "c", "d"], edges, "a");
        Assert.DoesNotContain(E("a", "d", 100), tree.Edges);
        Assert.Equal(["b"], tree.ChildrenOf("a"));
        Assert.Equal(["d"], tree.ChildrenOf("c"));
    }

    [Fact]
    public void ACheapCycleIsBrokenWhereEnteringItCostsLeast()
    {
        // b and c are each other's cheapest parents: the cycle must be entered from the root.
        var edges = new[] { E("r", "b", 10), E("r", "c", 12), E("b", "c", 1), E("c", "b", 1) };
        var tree = MinimumArborescence.Find(["r", "b", "c"], edges, "r");
        Assert.Equal([E("b", "c", 1), E("r", "b", 10)], tree.Edges);
    }

    [Fact]
    public void NestedCyclesAreContractedAgain()
    {
        var edges = new[]
        {
            E("r", "a", 20), E("a", "b", 1), E("b", "a", 1), E("b", "c", 2), E("c", "d", 1), E("d", "c", 1),
            E("d", "b", 2), E("r", "c", 15),
        };
        var tree = MinimumArborescence.Find(["r", "a", "b", "c", "d"], edges, "r");
        Assert.Equal(BruteForce.MinimumCost(["r", "a", "b", "c", "d"], edges, "r"), tree.TotalCost);
        Assert.True(BruteForce.IsArborescence(tree, ["a", "b", "c", "d"]));
    }

    [Fact]
    public void UnreachableNodesAreReportedAndLeftOut()
    {
        var edges = new[] { E("a", "b", 1), E("c", "b", 1), E("c", "d", 1), E("d", "a", 1) };
        var tree = MinimumArborescence.Find(["a", "b", "c", "d", "e"], edges, "a");
        Assert.Equal(["c", "d", "e"], tree.Unreachable.Order(StringComparer.Ordinal));
        Assert.Equal([E("a", "b", 1)], tree.Edges);
    }

    [Fact]
    public void EqualCostsPickTheSmallerParentIdWhateverTheInputOrder()
    {
        var edges = new[] { E("r", "y", 1), E("r", "x", 1), E("y", "z", 5), E("x", "z", 5) };
        var first = MinimumArborescence.Find(["r", "x", "y", "z"], edges, "r");
        var second = MinimumArborescence.Find(["z", "y", "x", "r"], edges.Reverse(), "r");
        Assert.Equal(E("x", "z", 5), first.ParentEdges["z"]);
        Assert.Equal(first.Edges, second.Edges);
    }

    [Fact]
    public void EdgesIntoTheRootAndSelfLoopsAreIgnored()
    {
        var tree = MinimumArborescence.Find(["a", "b"], [E("b", "a", 0), E("b", "b", 0), E("a", "b", 3)], "a");
        Assert.Equal([E("a", "b", 3)], tree.Edges);
    }

    [Fact]
    public void ParallelEdgesKeepTheCheapest()
    {
        var tree = MinimumArborescence.Find(["a", "b"], [E("a", "b", 3), E("a", "b", 2)], "a");
        Assert.Equal([E("a", "b", 2)], tree.Edges);
    }

    [Fact]
    public void ALoneRootIsATreeOfNoEdges()
    {
        var tree = MinimumArborescence.Find([], [], "solo");
        Assert.Empty(tree.Edges);
        Assert.Empty(tree.Unreachable);
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 0; seed < 60; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomGraphsMatchBruteForce(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 25; round++)
        {
            var (nodes, edges) = RandomGraph(random);
            var root = nodes[random.Next(nodes.Length)];
            var tree = MinimumArborescence.Find(nodes, edges, root);

            var reachable = BruteForce.Reachable(root, edges);
            Assert.Equal(nodes.Where(n => !reachable.Contains(n)).Order(StringComparer.Ordinal), tree.Unreachable.Order(StringComparer.Ordinal));
            Assert.True(BruteForce.IsArborescence(tree, reachable.Where(n => n != root)), $"seed {seed} round {round}: not an arborescence");
            Assert.All(tree.Edges, e => Assert.Contains(e, edges));
            Assert.Equal(BruteForce.MinimumCost(nodes, edges, root), tree.TotalCost);
            Assert.Equal(tree.Edges, MinimumArborescence.Find(nodes.Reverse(), edges.Reverse(), root).Edges);
        }
    }

    [Fact]
    public void ALargeGraphGivesAValidTreeQuickly()
    {
        var random = new Random(42);
        var nodes = Enumerable.Range(0, 300).Select(i => $"n{i:D3}").ToArray();
        var edges = Enumerable.Range(0, 3000).Select(_ => E(nodes[random.Next(300)], nodes[random.Next(300)], random.Next(1, 50))).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var tree = MinimumArborescence.Find(nodes, edges, "n000");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.True(BruteForce.IsArborescence(tree, BruteForce.Reachable("n000", edges).Where(n => n != "n000")));
        // Optimal too: no tree edge can be swapped for a cheaper edge into the same node that keeps it a tree.
        foreach (var edge in edges.Where(e => tree.ParentEdges.TryGetValue(e.To, out var chosen) && e.Cost < chosen.Cost && e.From != e.To))
        {
            var swapped = tree.ParentEdges.ToDictionary(p => p.Key, p => p.Key == edge.To ? edge : p.Value);
            Assert.False(BruteForce.IsArborescence(new Arborescence("n000", swapped, tree.Unreachable), swapped.Keys), $"{edge} would improve the tree");
        }
    }

    private static (string[] Nodes, DirectedEdge[] Edges) RandomGraph(Random random)
    {
        var count = random.Next(1, 9);
        var nodes = Enumerable.Range(0, count).Select(i => $"n{i}").ToArray();
        var density = 0.2 + random.NextDouble() * 0.4;
        var maxCost = random.Next(2) == 0 ? 3 : 20;      // small ranges make many equal costs
        var edges = new List<DirectedEdge>();
        foreach (var from in nodes)
            foreach (var to in nodes)
            {
                if (from == to || random.NextDouble() > density) continue;
                edges.Add(E(from, to, random.Next(maxCost + 1)));
                if (random.NextDouble() < 0.05) edges.Add(E(from, to, random.Next(maxCost + 1)));   // a second remote to the same node
            }
        return (nodes, edges.ToArray());
    }
}
