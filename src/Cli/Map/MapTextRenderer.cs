using System.Globalization;
using Tether.Kernel.Topology;

namespace Tether.Cli.Map;

/// <summary>The map as text: nodes, then edges with cost, backend and last contact, marking the tree's edges.</summary>
public static class MapTextRenderer
{
    public static string Render(NetworkMap map)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"nodes ({map.Graph.Nodes.Count}):");
        foreach (var node in map.Graph.Nodes.OrderBy(n => n.Label, StringComparer.Ordinal).ThenBy(n => n.Uuid, StringComparer.Ordinal))
            text.AppendLine($"  {node.Uuid}  {node.Label}{NodeNote(map, node.Uuid)}");
        text.AppendLine($"edges ({map.Graph.Links.Count}):");
        foreach (var link in map.Graph.Links.OrderBy(l => map.LabelOf(l.RepoUuid), StringComparer.Ordinal).ThenBy(l => map.LabelOf(l.RemoteUuid), StringComparer.Ordinal))
            text.AppendLine($"  {(map.IsTreeEdge(link) ? "*" : " ")} {map.LabelOf(link.RepoUuid)} -> {map.LabelOf(link.RemoteUuid)}"
                + $"  cost {link.Cost.ToString(CultureInfo.InvariantCulture)}  backend {link.Backend}  remote {link.RemoteName}"
                + $"  last reached {LastReached(link)}");
        var unreachable = map.Tree.Unreachable.Select(map.LabelOf).Order(StringComparer.Ordinal).ToList();
        text.AppendLine($"tree from {map.LabelOf(map.Here)} (edges marked *): total cost {map.Tree.TotalCost.ToString(CultureInfo.InvariantCulture)}"
            + $", unreachable: {(unreachable.Count == 0 ? "none" : string.Join(", ", unreachable))}");
        return text.ToString();
    }

    private static string NodeNote(NetworkMap map, string uuid) =>
        uuid == map.Here ? "  [here]" : map.Tree.Unreachable.Contains(uuid) ? "  [unreachable from here]" : "";

    private static string LastReached(TopologyRecord link) =>
        link.LastReached == DateTimeOffset.UnixEpoch ? "never" : link.LastReached.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
