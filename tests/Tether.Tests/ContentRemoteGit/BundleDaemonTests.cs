using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>`tether watch` on two nodes that share only a content remote's bundles: a change on either reaches the other.</summary>
public class BundleDaemonTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task TwoDaemonsSharingOnlyTheBundlesOfARsyncRemoteConvergeBothWays()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(a, store);
        await AddCloudAsync(b, store);
        PullEvery(a, "1s");
        PullEvery(b, "1s");
        await SyncOkAsync(a); // the remote's UUID is made here; B is told it
        Join(b, CloudUuid(a));

        using var watchA = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);
        using var watchB = await WatchingNode.StartAsync(b, (IReadOnlyDictionary<string, string>?)null);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(a, "from-a.txt"), "written on A\n");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(b, "from-a.txt")) && File.ReadAllText(Path.Combine(b, "from-a.txt")) == "written on A\n",
            TimeSpan.FromSeconds(60), () => $"A:\n{watchA.Daemon.Output}\nB:\n{watchB.Daemon.Output}");
        output.WriteLine($"A to B through the bundles: {clock.ElapsedMilliseconds} ms (pull_interval 1s)");
        clock.Restart();
        File.WriteAllText(Path.Combine(b, "from-b.txt"), "written on B\n");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(a, "from-b.txt")) && File.ReadAllText(Path.Combine(a, "from-b.txt")) == "written on B\n",
            TimeSpan.FromSeconds(60), () => $"A:\n{watchA.Daemon.Output}\nB:\n{watchB.Daemon.Output}");
        output.WriteLine($"B to A through the bundles: {clock.ElapsedMilliseconds} ms (pull_interval 1s)");
        Assert.Equal(0, await watchA.StopAsync());
        Assert.Equal(0, await watchB.StopAsync());
    }
}
