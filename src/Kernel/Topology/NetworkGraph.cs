using Tether.Kernel.AnnexBranch;

namespace Tether.Kernel.Topology;

/// <summary>
/// The whole network as the git-annex branch knows it: every repository named in uuid.log or in
/// <see cref="TopologyLog"/> (reachable from here or not), and every repository's remotes as edges.
/// </summary>
public sealed class NetworkGraph
{
    private NetworkGraph(IReadOnlyList<NetworkNode> nodes, IReadOnlyList<TopologyRecord> links)
    {
        Nodes = nodes;
        Links = links;
    }

    /// <summary>Ordered by UUID.</summary>
    public IReadOnlyList<NetworkNode> Nodes { get; }

    /// <summary>One per (repository, remote) pair that is not removed, ordered by both UUIDs.</summary>
    public IReadOnlyList<TopologyRecord> Links { get; }

    public IEnumerable<DirectedEdge> Edges => Links.Select(ToEdge);

    public static DirectedEdge ToEdge(TopologyRecord link) => new(link.RepoUuid, link.RemoteUuid, link.Cost);

    public static NetworkGraph Read(GitAnnexBranch branch) =>
        From(branch.Descriptions(), TopologyLog.Current(branch.Read(TopologyLog.BranchPath)));

    public static NetworkGraph From(IReadOnlyDictionary<string, string> descriptions, IReadOnlyList<TopologyRecord> links)
    {
        links = links.Where(l => !l.Removed).ToList();
        var uuids = new SortedSet<string>(descriptions.Keys, StringComparer.Ordinal);
        foreach (var link in links) { uuids.Add(link.RepoUuid); uuids.Add(link.RemoteUuid); }
        var nodes = uuids.Select(u => new NetworkNode(u, descriptions.GetValueOrDefault(u, ""))).ToList();
        return new NetworkGraph(nodes, links);
    }

    public NetworkNode? Node(string uuid) => Nodes.FirstOrDefault(n => n.Uuid == uuid);

    /// <summary>The minimum-cost arborescence rooted at <paramref name="root"/> over every known link.</summary>
    public Arborescence TreeFrom(string root) => MinimumArborescence.Find(Nodes.Select(n => n.Uuid), Edges, root);
}
