namespace Tether.Kernel.Topology;

/// <summary>
/// A minimum-cost arborescence: for each node reachable from <see cref="Root"/> (other than the root), the edge
/// from its parent; and the nodes no path from the root reaches.
/// </summary>
public sealed class Arborescence
{
    public Arborescence(string root, IReadOnlyDictionary<string, DirectedEdge> parentEdges, IReadOnlySet<string> unreachable)
    {
        Root = root;
        ParentEdges = parentEdges;
        Unreachable = unreachable;
    }

    public string Root { get; }

    /// <summary>Keyed by the child node: the edge that reaches it.</summary>
    public IReadOnlyDictionary<string, DirectedEdge> ParentEdges { get; }

    public IReadOnlySet<string> Unreachable { get; }

    public IEnumerable<DirectedEdge> Edges => ParentEdges.Values.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal);

    public long TotalCost => ParentEdges.Values.Sum(e => e.Cost);

    public bool Contains(DirectedEdge edge) => ParentEdges.TryGetValue(edge.To, out var chosen) && chosen == edge;

    /// <summary>The node's children in this tree, cheapest edge first (then by id).</summary>
    public IReadOnlyList<string> ChildrenOf(string node) =>
        ParentEdges.Values.Where(e => e.From == node)
            .OrderBy(e => e.Cost).ThenBy(e => e.To, StringComparer.Ordinal)
            .Select(e => e.To).ToList();
}
