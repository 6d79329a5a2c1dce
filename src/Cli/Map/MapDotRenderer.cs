using System.Globalization;
using System.Text;
using Tether.Kernel.Topology;

namespace Tether.Cli.Map;

/// <summary>
/// The map as Graphviz DOT: one node per repository (this one doubled, unreachable ones dashed), one edge per
/// remote labelled with its cost; the tree's edges bold, the others dashed grey.
/// </summary>
public static class MapDotRenderer
{
    public static string Render(NetworkMap map)
    {
        var dot = new StringBuilder();
        dot.AppendLine("digraph tether {");
        dot.AppendLine("  rankdir=LR;");
        dot.AppendLine("  node [shape=box, style=rounded];");
        foreach (var node in map.Graph.Nodes)
            dot.AppendLine($"  {Quote(node.Uuid)} [label={Quote(node.Label)}{NodeStyle(map, node.Uuid)}];");
        foreach (var link in map.Graph.Links)
            dot.AppendLine($"  {Quote(link.RepoUuid)} -> {Quote(link.RemoteUuid)} [label={Quote(EdgeLabel(link))}"
                + $"{(map.IsTreeEdge(link) ? ", penwidth=2.5" : ", style=dashed, color=gray50")}];");
        dot.AppendLine("}");
        return dot.ToString();
    }

    private static string NodeStyle(NetworkMap map, string uuid) =>
        uuid == map.Here ? ", peripheries=2" : map.Tree.Unreachable.Contains(uuid) ? ", style=\"rounded,dashed\"" : "";

    private static string EdgeLabel(TopologyRecord link) =>
        $"{link.RemoteName} ({link.Backend}) cost {link.Cost.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A DOT string literal: quotes and backslashes escaped.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
