using System.Text.RegularExpressions;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Network;

/// <summary>Strategy tree in the daemon: three `tether watch` processes, a⇄b⇄c plus an expensive a→c.</summary>
public class DaemonTreeTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    private static async Task AddRemoteAsync(string repo, string name, string cost) =>
        Assert.Equal(0, (await CliRunner.RunAsync(repo, "remote", "add", name, "../" + name, "--cost", cost)).ExitCode);

    [Fact]
    public async Task TheRelayForwardsAndTheExpensiveEdgeCarriesNothing()
    {
        using var dir = new TempFolder();
        var (a, b, c) = (dir.Combine("a"), dir.Combine("b"), dir.Combine("c"));
        foreach (var name in new[] { "a", "b", "c" }) Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", name)).ExitCode);
        await AddRemoteAsync(a, "b", "10"); await AddRemoteAsync(a, "c", "1000");
        await AddRemoteAsync(b, "a", "10"); await AddRemoteAsync(b, "c", "10");
        await AddRemoteAsync(c, "b", "10");
        for (var round = 0; round < 2; round++)
            foreach (var repo in new[] { a, b, c }) Assert.Equal(0, (await CliRunner.RunAsync(repo, "sync")).ExitCode);

        using var nodeC = await WatchingNode.StartAsync(c);
        using var nodeB = await WatchingNode.StartAsync(b);
        using var nodeA = await WatchingNode.StartAsync(a);
        var content = new string('v', 2 << 20);
        File.WriteAllText(Path.Combine(a, "video.bin"), content);

        var atC = Path.Combine(c, "video.bin");
        await Eventually.TrueAsync(() => File.Exists(atC) && File.ReadAllBytes(atC).Length == content.Length, Soon,
            () => $"a:\n{nodeA.Daemon.Describe()}\nb:\n{nodeB.Daemon.Describe()}\nc:\n{nodeC.Daemon.Describe()}");
        // c got it over b⇄c: sent by b, or fetched by c from b (the log lines may trail the file by a moment).
        await Eventually.TrueAsync(() => Regex.IsMatch(nodeB.Daemon.Output, @"Sent \S+ to c") || Regex.IsMatch(nodeC.Daemon.Output, @"Got \S+ from b"),
            TimeSpan.FromSeconds(10), () => $"a:\n{nodeA.Daemon.Output}\nb:\n{nodeB.Daemon.Output}\nc:\n{nodeC.Daemon.Output}");
        // b got it over a⇄b: sent by a, or fetched by b from a (b's scanner may see a's push before a's upload starts).
        await Eventually.TrueAsync(() => Regex.IsMatch(nodeA.Daemon.Output, @"Sent \S+ to b") || Regex.IsMatch(nodeB.Daemon.Output, @"Got \S+ from a"),
            TimeSpan.FromSeconds(10), () => $"a:\n{nodeA.Daemon.Output}\nb:\n{nodeB.Daemon.Output}");
        Assert.DoesNotMatch(@"Sent \S+ to c", nodeA.Daemon.Output);
        Assert.DoesNotMatch(@"Got \S+ from a", nodeC.Daemon.Output);
        foreach (var node in new[] { nodeA, nodeB, nodeC }) Assert.Equal(0, await node.StopAsync());
    }
}
