using System.Globalization;
using Tether.Kernel.Topology;

namespace Tether.Cli.Map;

/// <summary>
/// The map as text: nodes (this one, and whether each of our remotes is online now), then edges with cost, backend
/// and when each was last used (our own edges from the daemon when it runs, others from the topology log), marking
/// the tree's edges.
/// </summary>
public static class MapTextRenderer
{
    public static string Render(NetworkMap map, MapLiveState? live = null)
    {
        live ??= MapLiveState.None;
        var text = new System.Text.StringBuilder();
        text.AppendLine($"nodes ({map.Graph.Nodes.Count}):");
        foreach (var node in map.Graph.Nodes.OrderBy(n => n.Label, StringComparer.Ordinal).ThenBy(n => n.Uuid, StringComparer.Ordinal))
            text.AppendLine($"  {node.Uuid}  {node.Label}{NodeNote(map, live, node.Uuid)}");
        text.AppendLine($"edges ({map.Graph.Links.Count}):");
        foreach (var link in map.Graph.Links.OrderBy(l => map.LabelOf(l.RepoUuid), StringComparer.Ordinal).ThenBy(l => map.LabelOf(l.RemoteUuid), StringComparer.Ordinal))
            text.AppendLine($"  {(map.IsTreeEdge(link) ? "*" : " ")} {map.LabelOf(link.RepoUuid)} -> {map.LabelOf(link.RemoteUuid)}"
                + $"  cost {link.Cost.ToString(CultureInfo.InvariantCulture)}  backend {link.Backend}  remote {link.RemoteName}"
                + $"  last reached {Time(LastUsed(map, live, link))}");
        var unreachable = map.Tree.Unreachable.Select(map.LabelOf).Order(StringComparer.Ordinal).ToList();
        text.AppendLine($"tree from {map.LabelOf(map.Here)} (edges marked *): total cost {map.Tree.TotalCost.ToString(CultureInfo.InvariantCulture)}"
            + $", unreachable: {(unreachable.Count == 0 ? "none" : string.Join(", ", unreachable))}");
        return text.ToString();
    }

    /// <summary>Our own edge's last use as the daemon saw it, when later than the log's (refreshed every few minutes).</summary>
    public static DateTimeOffset LastUsed(NetworkMap map, MapLiveState live, TopologyRecord link) =>
        link.RepoUuid == map.Here && live.Of(link.RemoteUuid)?.LastUsed is { } used && used > link.LastReached ? used : link.LastReached;

    public static string Time(DateTimeOffset at) =>
        at == DateTimeOffset.UnixEpoch ? "never" : at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string NodeNote(NetworkMap map, MapLiveState live, string uuid) =>
        uuid == map.Here ? "  [here]"
        : (map.Tree.Unreachable.Contains(uuid) ? "  [unreachable from here]" : "") + live.Of(uuid)?.Online switch
        {
            true => "  [online]",
            false => $"  [offline{(live.Of(uuid)!.Why is { } why ? ": " + why : "")}]",
            null => "",
        };
}
