using System.Globalization;
using System.Text;
using Tether.Kernel.Topology;

namespace Tether.Cli.Map;

/// <summary>
/// The map as Graphviz DOT: one node per repository (this one doubled; our remotes green when online now, red and
/// dashed when offline; unreachable ones dashed), one edge per remote labelled with its name, cost and when it was
/// last used; the tree's edges bold, the others dashed grey; a legend says so. Spacing and edge-label placement
/// are set so that up to about 20 nodes stay readable.
/// </summary>
public static class MapDotRenderer
{
    public static string Render(NetworkMap map, MapLiveState? live = null)
    {
        live ??= MapLiveState.None;
        var dot = new StringBuilder();
        dot.AppendLine("digraph tether {");
        dot.AppendLine("  rankdir=LR; nodesep=0.6; ranksep=1.4; splines=true; overlap=false; fontname=\"Helvetica\";");
        dot.AppendLine("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];");
        dot.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9, labelfloat=false];");
        foreach (var node in map.Graph.Nodes)
            dot.AppendLine($"  {Quote(node.Uuid)} [label={Quote(NodeLabel(map, live, node))}{NodeStyle(map, live, node.Uuid)}];");
        foreach (var link in map.Graph.Links)
            dot.AppendLine($"  {Quote(link.RepoUuid)} -> {Quote(link.RemoteUuid)} [xlabel={Quote(EdgeLabel(map, live, link))}"
                + $"{(map.IsTreeEdge(link) ? ", penwidth=2.5" : ", style=dashed, color=gray50, fontcolor=gray35")}];");
        AppendLegend(dot);
        dot.AppendLine("}");
        return dot.ToString();
    }

    /// <summary>One table node (Graphviz HTML label), so the legend's texts never collide with each other or the map.</summary>
    private static void AppendLegend(StringBuilder dot)
    {
        dot.AppendLine("  legend [shape=plaintext, fontsize=9, label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"2\" color=\"gray60\">");
        dot.AppendLine("    <tr><td align=\"left\"><b>legend</b></td></tr>");
        dot.AppendLine("    <tr><td align=\"left\">double border: this repository</td></tr>");
        dot.AppendLine("    <tr><td align=\"left\"><font color=\"darkgreen\">green: a remote online now</font></td></tr>");
        dot.AppendLine("    <tr><td align=\"left\"><font color=\"red3\">red, dashed: a remote offline now</font></td></tr>");
        dot.AppendLine("    <tr><td align=\"left\">black: known from the network log only</td></tr>");
        dot.AppendLine("    <tr><td align=\"left\">bold arrow: the tree content takes from here</td></tr>");
        dot.AppendLine("    <tr><td align=\"left\"><font color=\"gray35\">dashed grey arrow: another link</font></td></tr>");
        dot.AppendLine("    <tr><td align=\"left\">arrow label: remote name (backend), cost, last used</td></tr>");
        dot.AppendLine("  </table>>];");
    }

    private static string NodeLabel(NetworkMap map, MapLiveState live, NetworkNode node) =>
        node.Uuid != map.Here && live.Of(node.Uuid) is { Online: false } ? node.Label + "\n(offline)" : node.Label;

    private static string NodeStyle(NetworkMap map, MapLiveState live, string uuid) =>
        uuid == map.Here ? ", peripheries=2"
        : live.Of(uuid)?.Online switch
        {
            true => ", color=darkgreen, fontcolor=darkgreen",
            false => ", style=\"rounded,dashed\", color=red3, fontcolor=red3",
            null => map.Tree.Unreachable.Contains(uuid) ? ", style=\"rounded,dashed\"" : "",
        };

    private static string EdgeLabel(NetworkMap map, MapLiveState live, TopologyRecord link) =>
        $"{link.RemoteName} ({link.Backend}) cost {link.Cost.ToString(CultureInfo.InvariantCulture)}\n{LastUsedShort(MapTextRenderer.LastUsed(map, live, link))}";

    private static string LastUsedShort(DateTimeOffset at) =>
        at == DateTimeOffset.UnixEpoch ? "never used" : "used " + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    /// <summary>A DOT string literal: quotes and backslashes escaped (a label's line break "\n" is written as DOT's own).</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
