using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers;

/// <summary>The daemon's scanner with real `tether watch` processes: what changed while stopped, and new remotes.</summary>
public sealed class TransferScannerTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ContentAddedOnARemoteWhileWeWereStoppedIsFetchedAfterRestart()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        using (var first = await WatchingNode.StartAsync(a, b)) Assert.Equal(0, await first.StopAsync());

        File.WriteAllText(Path.Combine(b, "made while a slept.bin"), new string('z', 2 << 20));
        Assert.Equal(0, (await CliRunner.RunAsync(b, "sync")).ExitCode); // commits it in b; b has no remotes

        using var node = await WatchingNode.StartAsync(a);
        var file = Path.Combine(a, "made while a slept.bin");
        await Eventually.TrueAsync(() => File.Exists(file) && File.ReadAllBytes(file).Length == 2 << 20, Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task ContentWeHoldIsSentToARemoteAddedWhileTheDaemonRuns()
    {
        using var dir = new TempFolder();
        var (a, c) = (dir.Combine("a"), dir.Combine("c"));
        using var node = await WatchingNode.StartAsync(a);
        File.WriteAllText(Path.Combine(a, "held.bin"), new string('h', 2 << 20));
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").Contains("held.bin"), Soon, node.Daemon.Describe);

        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "c")).ExitCode);
        var add = await CliRunner.RunAsync(a, "remote", "add", "c", c);
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("daemon: reloaded", add.Out);
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(c, "refs/heads/synced/main").Contains("held.bin")
            && Directory.EnumerateFiles(Path.Combine(c, ".git", "annex", "objects"), "*", SearchOption.AllDirectories).Any(), Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }
}
