using Tether.Kernel.Topology;

namespace Tether.Tests.Network;

/// <summary>Reference answers by enumerating every choice of one incoming edge per reachable node.</summary>
internal static class BruteForce
{
    public static HashSet<string> Reachable(string root, IReadOnlyCollection<DirectedEdge> edges)
    {
        var seen = new HashSet<string> { root };
        var queue = new Queue<string>([root]);
        while (queue.TryDequeue(out var node))
            foreach (var e in edges.Where(e => e.From == node))
                if (seen.Add(e.To)) queue.Enqueue(e.To);
        return seen;
    }

    public static long MinimumCost(IEnumerable<string> nodes, IReadOnlyCollection<DirectedEdge> edges, string root)
    {
        var reachable = Reachable(root, edges);
        var targets = reachable.Where(n => n != root).Order(StringComparer.Ordinal).ToArray();
        var choices = targets.Select(t => edges.Where(e => e.To == t && e.From != t && reachable.Contains(e.From)).ToArray()).ToArray();
        var best = long.MaxValue;
        var picked = new DirectedEdge[targets.Length];
        void Choose(int i)
        {
            if (i == targets.Length)
            {
                var parents = picked.ToDictionary(e => e.To, e => e);
                if (AllReachRoot(parents, root, targets)) best = Math.Min(best, picked.Sum(e => e.Cost));
                return;
            }
            foreach (var edge in choices[i]) { picked[i] = edge; Choose(i + 1); }
        }
        Choose(0);
        return targets.Length == 0 ? 0 : best;
    }

    public static bool IsArborescence(Arborescence tree, IEnumerable<string> nonRootReachable)
    {
        var targets = nonRootReachable.ToArray();
        return tree.ParentEdges.Count == targets.Length
            && tree.ParentEdges.All(p => p.Key == p.Value.To)
            && AllReachRoot(tree.ParentEdges, tree.Root, targets);
    }

    private static bool AllReachRoot(IReadOnlyDictionary<string, DirectedEdge> parents, string root, IEnumerable<string> targets)
    {
        foreach (var start in targets)
        {
            var node = start;
            for (var steps = 0; node != root; steps++)
            {
                if (steps > parents.Count || !parents.TryGetValue(node, out var edge)) return false;
                node = edge.From;
            }
        }
        return true;
    }
}
