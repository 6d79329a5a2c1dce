using System.Globalization;
using System.Text.RegularExpressions;
using Tether.Cli.Map;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Topology;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>The map says which remotes are online now, when each link was last used, has a legend, and stays readable at 20 nodes.</summary>
public sealed class MapTests
{
    [Fact]
    public async Task AnUnmountedRemoteIsShownOfflineAndTheSvgHasALegend()
    {
        using var dir = new TempFolder();
        foreach (var name in (string[])["a", "here-disk", "gone-disk"])
            Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", name, "--description", name)).ExitCode);
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "here-disk", dir.Combine("here-disk"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "gone-disk", dir.Combine("gone-disk"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Directory.Move(dir.Combine("gone-disk"), dir.Combine("unplugged")); // as if the drive were unmounted

        var text = (await CliRunner.RunAsync(a, "map")).Out;
        Assert.Contains("  here-disk  [online]", text);
        Assert.Contains($"  gone-disk  [offline: {dir.Combine("gone-disk")} is not there (unmounted?)]", text);

        var dot = (await CliRunner.RunAsync(a, "map", "--format", "dot")).Out;
        Assert.Contains("legend [shape=plaintext", dot);
        Assert.Matches(@"\[label=""gone-disk\\n\(offline\)"", style=""rounded,dashed"", color=red3", dot);
        Assert.Matches(@"\[label=""here-disk"", color=darkgreen", dot);
        Assert.Matches(@"xlabel=""here-disk \(local\) cost 100\\nused \d{4}-\d\d-\d\d \d\d:\d\dZ""", dot);
    }

    [Fact]
    public async Task TwentyNodesLaidOutByGraphvizHaveNoOverlappingLabels()
    {
        Assert.True(GitCli.TryRunTool("dot", "/", "-V").ExitCode == 0, "Graphviz is not installed: run ./run-tests (it installs the apt package graphviz)");
        var uuids = Enumerable.Range(0, 20).Select(i => $"00000000-0000-0000-0000-{i:D12}").ToList();
        var descriptions = uuids.Select((u, i) => (u, $"me@host{i}:/home/me/Tether")).ToDictionary(p => p.u, p => p.Item2);
        var now = DateTimeOffset.UtcNow;
        var links = new List<TopologyRecord>();
        for (var i = 0; i < 20; i++) // a ring both ways, plus a hub (node 0) reaching everyone: 56 links
        {
            links.Add(Link(uuids[i], uuids[(i + 1) % 20], $"next{i}", 100, now));
            links.Add(Link(uuids[(i + 1) % 20], uuids[i], $"prev{i}", 100, now));
            if (i > 1) links.Add(Link(uuids[0], uuids[i], $"spoke{i}", 200, now));
        }
        var graph = NetworkGraph.From(descriptions, links);
        var map = new NetworkMap(graph, uuids[0], graph.TreeFrom(uuids[0]));
        using var dir = new TempFolder();
        var svgPath = dir.Combine("map.svg");
        Assert.Null(await GraphvizRenderer.RenderSvgAsync(MapDotRenderer.Render(map), svgPath, CancellationToken.None));

        var boxes = TextBoxes(File.ReadAllText(svgPath));
        Assert.True(boxes.Count >= 20 + 56, $"{boxes.Count} labels");
        var overlaps = (from x in boxes from y in boxes where string.CompareOrdinal(x.Id, y.Id) < 0 && x.Overlaps(y) select $"'{x.Text}' and '{y.Text}'").ToList();
        Assert.True(overlaps.Count == 0, $"{overlaps.Count} overlapping label pairs, e.g. {string.Join("; ", overlaps.Take(5))}");
    }

    private static TopologyRecord Link(string from, string to, string name, int cost, DateTimeOffset at) =>
        new(from, to, name, "ssh", cost, at, new AnnexTimestamp(at.ToUnixTimeSeconds()));

    private sealed record Box(string Id, string Text, double Left, double Top, double Right, double Bottom)
    {
        public bool Overlaps(Box o) => Left < o.Right && o.Left < Right && Top < o.Bottom && o.Top < Bottom;
    }

    /// <summary>Each SVG text element's box, from its anchor, font size and length (Helvetica: about 0.55 em per character).</summary>
    private static List<Box> TextBoxes(string svg)
    {
        var boxes = new List<Box>();
        var n = 0;
        foreach (Match m in Regex.Matches(svg, @"<text text-anchor=""(\w+)"" x=""([-\d.]+)"" y=""([-\d.]+)""[^>]*font-size=""([\d.]+)""[^>]*>([^<]*)</text>"))
        {
            double x = Parse(m.Groups[2].Value), y = Parse(m.Groups[3].Value), size = Parse(m.Groups[4].Value);
            var text = System.Net.WebUtility.HtmlDecode(m.Groups[5].Value);
            var width = text.Length * size * 0.55;
            var left = m.Groups[1].Value switch { "middle" => x - width / 2, "end" => x - width, _ => x };
            boxes.Add(new Box($"{n++:D4}", text, left, y - size * 0.8, left + width, y + size * 0.2));
        }
        return boxes;
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
