using Tether.Cli.Map;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Network;

/// <summary>`tether map` on repositories wired and synced with the real commands.</summary>
public class MapCommandTests
{
    private static readonly string[] Names = ["a", "b", "c", "d"];

    /// <summary>a⇄b⇄c⇄d at cost 10 plus a→d at cost 1000, synced with `tether sync` until every record spread.</summary>
    private static async Task<string[]> SyncedChainAsync(TempFolder dir)
    {
        foreach (var name in Names)
            Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", name, "--description", "node " + name)).ExitCode);
        var paths = Names.Select(n => dir.Combine(n)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            await AddRemoteAsync(paths[i], Names[i + 1], "10");
            await AddRemoteAsync(paths[i + 1], Names[i], "10");
        }
        await AddRemoteAsync(paths[0], "d", "1000");
        for (var round = 0; round < 3; round++)
            foreach (var path in paths)
            {
                var sync = await CliRunner.RunAsync(path, "sync");
                Assert.True(sync.ExitCode == 0, sync.ToString());
            }
        return paths;
    }

    private static async Task AddRemoteAsync(string repo, string name, string cost)
    {
        var add = await CliRunner.RunAsync(repo, "remote", "add", name, "../" + name, "--cost", cost);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    [Fact]
    public async Task EveryNodesMapShowsTheWholeGraphAndItsOwnTree()
    {
        using var dir = new TempFolder();
        var paths = await SyncedChainAsync(dir);
        foreach (var (path, name) in paths.Zip(Names))
        {
            var map = await CliRunner.RunAsync(path, "map");
            Assert.True(map.ExitCode == 0, map.ToString());
            Assert.Contains("nodes (4):", map.Out);
            Assert.Contains("edges (7):", map.Out);
            Assert.Contains($"node {name}  [here]", map.Out);
            Assert.Contains("node a -> node d  cost 1000  backend local  remote d  last reached " + DateTime.UtcNow.ToString("yyyy-MM-dd"), map.Out);
            Assert.Contains("unreachable: none", map.Out);
        }
        var fromA = (await CliRunner.RunAsync(paths[0], "map")).Out;
        Assert.Contains("* node a -> node b  cost 10", fromA);
        Assert.Contains("* node c -> node d  cost 10", fromA);
        Assert.Contains("  node a -> node d  cost 1000", fromA);
        Assert.Contains("  node b -> node a  cost 10", fromA);
        Assert.Contains("total cost 30", fromA);
        var fromD = (await CliRunner.RunAsync(paths[3], "map")).Out;
        Assert.Contains("* node d -> node c  cost 10", fromD);
        Assert.Contains("* node b -> node a  cost 10", fromD);
    }

    [Fact]
    public async Task ARemovedRemoteLeavesEveryNodesMap()
    {
        using var dir = new TempFolder();
        var paths = await SyncedChainAsync(dir);
        var remove = await CliRunner.RunAsync(paths[0], "remote", "remove", "d");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        for (var round = 0; round < 2; round++)
            foreach (var path in paths) Assert.Equal(0, (await CliRunner.RunAsync(path, "sync")).ExitCode);
        foreach (var path in paths)
        {
            var map = (await CliRunner.RunAsync(path, "map")).Out;
            Assert.Contains("edges (6):", map);
            Assert.DoesNotContain("cost 1000", map);
        }
        Assert.Contains(" removed=1 ", GitCli.Run(paths[3], "show", "git-annex:tether/topology.log"));
    }

    [Fact]
    public async Task DotAndSvgDescribeTheSameGraph()
    {
        using var dir = new TempFolder();
        var paths = await SyncedChainAsync(dir);
        var dot = await CliRunner.RunAsync(paths[0], "map", "--format", "dot");
        Assert.True(dot.ExitCode == 0, dot.ToString());
        Assert.StartsWith("digraph tether {", dot.Out);
        var edges = dot.Out.Split('\n').Where(l => l.Contains(" -> ") && !l.Contains("legend_")).ToList(); // the legend has two sample edges
        Assert.Equal(7, edges.Count);
        Assert.Equal(3, edges.Count(l => l.Contains("penwidth")));
        Assert.Contains("[label=\"node a\", peripheries=2]", dot.Out);

        Assert.True(GitCli.TryRunTool("dot", "/", "-V").ExitCode == 0, "Graphviz is not installed: run ./run-tests (it installs the apt package graphviz)");
        var svgPath = dir.Combine("map.svg");
        var svg = await CliRunner.RunAsync(paths[0], "map", "--format", "svg", "-o", svgPath);
        Assert.True(svg.ExitCode == 0, svg.ToString());
        var text = File.ReadAllText(svgPath);
        Assert.Contains("<svg", text);
        foreach (var name in Names) Assert.Contains("node " + name, text);
    }

    [Fact]
    public async Task SvgWithoutGraphvizNamesThePackage()
    {
        using var dir = new TempFolder();
        var error = await GraphvizRenderer.RenderSvgAsync("digraph {}", dir.Combine("x.svg"), CancellationToken.None, "no-such-dot-program");
        Assert.Contains("apt-get install graphviz", error);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "solo")).ExitCode);
        var noFile = await CliRunner.RunAsync(dir.Combine("solo"), "map", "--format", "svg");
        Assert.Equal(2, noFile.ExitCode);
        var alone = await CliRunner.RunAsync(dir.Combine("solo"), "map");
        Assert.Contains("nodes (1):", alone.Out);
        Assert.Contains("edges (0):", alone.Out);
    }
}
