using Tether.Kernel.AnnexBranch;

namespace Tether.Kernel.Topology;

/// <summary>What `tether map` shows: the known graph, this repository, and the tree rooted here.</summary>
public sealed record NetworkMap(NetworkGraph Graph, string Here, Arborescence Tree)
{
    public static NetworkMap Read(GitAnnexBranch branch, string here)
    {
        var graph = NetworkGraph.Read(branch);
        return new NetworkMap(graph, here, graph.TreeFrom(here));
    }

    public string LabelOf(string uuid) => Graph.Node(uuid)?.Label ?? uuid;

    public bool IsTreeEdge(TopologyRecord link) => Tree.Contains(NetworkGraph.ToEdge(link));
}
