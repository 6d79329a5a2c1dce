namespace Tether.Kernel.Topology;

/// <summary>
/// Chu–Liu/Edmonds: the cheapest set of edges that reaches every node reachable from a root, each node
/// (but the root) entered by exactly one edge. O(E·V).
/// </summary>
/// <remarks>
/// Steps:
/// <list type="number">
/// <item>Keep only the nodes reachable from the root (breadth-first); the rest are reported as unreachable.
/// Drop self-loops and edges into the root.</item>
/// <item>Every other node picks its cheapest incoming edge.</item>
/// <item>If the picks form no cycle, they are the answer.</item>
/// <item>Otherwise contract each cycle into one node. An edge (u, v) entering a cycle at v costs, in the
/// contracted graph, its cost minus the cost of v's pick (what replacing v's pick by it adds). Edges inside a
/// cycle go; the others keep their cost.</item>
/// <item>Solve the contracted graph recursively (it has fewer nodes, and every node still has an incoming edge).
/// Expand: the edge the contracted solution picks into a cycle node enters the cycle at some v; it replaces
/// v's pick, and every other node of the cycle keeps its pick.</item>
/// </list>
/// Deterministic: nodes and edges are put in ordinal order first, and among equal costs the edge from the
/// smaller node id (then to the smaller id) wins, so the same graph always gives the same tree.
/// </remarks>
public static class MinimumArborescence
{
    public static Arborescence Find(IEnumerable<string> nodes, IEnumerable<DirectedEdge> edges, string root)
    {
        var edgeList = edges.Distinct().ToList();
        var allNodes = new SortedSet<string>(nodes, StringComparer.Ordinal) { root };
        foreach (var edge in edgeList) { allNodes.Add(edge.From); allNodes.Add(edge.To); }

        var reachable = ReachableFrom(root, edgeList);
        var unreachable = allNodes.Where(n => !reachable.Contains(n)).ToHashSet(StringComparer.Ordinal);

        var order = reachable.Order(StringComparer.Ordinal).ToList();
        var index = order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var candidates = edgeList
            .Where(e => e.From != e.To && e.To != root && reachable.Contains(e.From) && reachable.Contains(e.To))
            .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ThenBy(e => e.Cost)
            .ToList();
        var working = candidates.Select((e, i) => new WorkEdge(index[e.From], index[e.To], e.Cost, i)).ToList();

        var picks = Solve(order.Count, index[root], working);
        var parents = new Dictionary<string, DirectedEdge>(StringComparer.Ordinal);
        for (var v = 0; v < order.Count; v++)
            if (v != index[root]) parents[order[v]] = candidates[working[picks[v]].Rank];
        return new Arborescence(root, parents, unreachable);
    }

    private static HashSet<string> ReachableFrom(string root, IReadOnlyList<DirectedEdge> edges)
    {
        var outgoing = edges.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        var queue = new Queue<string>([root]);
        while (queue.TryDequeue(out var node))
            foreach (var next in outgoing[node])
                if (seen.Add(next)) queue.Enqueue(next);
        return seen;
    }

    /// <summary>An edge between node indices; <see cref="Rank"/> orders ties (and names the original edge).</summary>
    private readonly record struct WorkEdge(int From, int To, long Cost, int Rank);

    /// <summary>For every node but the root, the index in <paramref name="edges"/> of the edge entering it.</summary>
    private static int[] Solve(int nodeCount, int root, IReadOnlyList<WorkEdge> edges)
    {
        var best = CheapestIncoming(nodeCount, root, edges);
        var (cycleOf, cycleCount) = FindCycles(nodeCount, root, best, edges);
        if (cycleCount == 0) return best;

        var (component, componentCount) = Contract(nodeCount, cycleOf, cycleCount);
        var contracted = new List<WorkEdge>();
        var origin = new List<int>();
        for (var i = 0; i < edges.Count; i++)
        {
            var e = edges[i];
            if (component[e.From] == component[e.To]) continue;
            var cost = cycleOf[e.To] >= 0 ? e.Cost - edges[best[e.To]].Cost : e.Cost;
            contracted.Add(new WorkEdge(component[e.From], component[e.To], cost, e.Rank));
            origin.Add(i);
        }

        var sub = Solve(componentCount, component[root], contracted);
        var result = (int[])best.Clone();
        for (var c = 0; c < componentCount; c++)
        {
            if (c == component[root]) continue;
            var chosen = origin[sub[c]];
            result[edges[chosen].To] = chosen;   // for a cycle, this replaces the pick of the node it enters
        }
        return result;
    }

    private static int[] CheapestIncoming(int nodeCount, int root, IReadOnlyList<WorkEdge> edges)
    {
        var best = Enumerable.Repeat(-1, nodeCount).ToArray();
        for (var i = 0; i < edges.Count; i++)
        {
            var e = edges[i];
            if (e.To == root || e.From == e.To) continue;
            if (best[e.To] < 0 || IsCheaper(e, edges[best[e.To]])) best[e.To] = i;
        }
        for (var v = 0; v < nodeCount; v++)
            if (v != root && best[v] < 0) throw new InvalidOperationException("A reachable node has no incoming edge.");
        return best;
    }

    private static bool IsCheaper(WorkEdge a, WorkEdge b) => a.Cost < b.Cost || (a.Cost == b.Cost && a.Rank < b.Rank);

    /// <summary>Which cycle (0..count-1) each node's pick puts it in, or -1.</summary>
    private static (int[] CycleOf, int Count) FindCycles(int nodeCount, int root, int[] best, IReadOnlyList<WorkEdge> edges)
    {
        var cycleOf = Enumerable.Repeat(-1, nodeCount).ToArray();
        var walkOf = Enumerable.Repeat(-1, nodeCount).ToArray();
        var count = 0;
        for (var start = 0; start < nodeCount; start++)
        {
            var v = start;
            while (v != root && walkOf[v] < 0 && cycleOf[v] < 0)
            {
                walkOf[v] = start;
                v = edges[best[v]].From;
            }
            if (v == root || cycleOf[v] >= 0 || walkOf[v] != start) continue;
            for (var u = v; cycleOf[u] < 0; u = edges[best[u]].From) cycleOf[u] = count;
            count++;
        }
        return (cycleOf, count);
    }

    /// <summary>Each cycle becomes one component; every other node is its own.</summary>
    private static (int[] Component, int Count) Contract(int nodeCount, int[] cycleOf, int cycleCount)
    {
        var component = new int[nodeCount];
        var next = cycleCount;
        for (var v = 0; v < nodeCount; v++) component[v] = cycleOf[v] >= 0 ? cycleOf[v] : next++;
        return (component, next);
    }
}
