using System.Text.RegularExpressions;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Triggers;

/// <summary>Triggers inside the real daemon and CLI: the usb plugin is found, and a configured interval trigger syncs a remote nobody pokes.</summary>
public sealed class TriggerDaemonTests
{
    [Fact]
    public async Task PluginsListsTheUsbTriggerAndTheBuiltInInterval()
    {
        using var dir = new TempFolder();
        var result = await CliRunner.RunAsync(dir.Path, "plugins");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Built in: backend local (cost 100); trigger interval", result.Out);
        Assert.Matches(@"Tether\.Plugins\.Usb [^\n]*\n  backends: \(none\)\n  triggers: usb", result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AnIntervalTriggerPullsFromARemoteThatNeverSignals()
    {
        using var dir = new TempFolder();
        var laptop = dir.Combine("laptop");
        var peer = dir.Combine("peer");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", peer)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(laptop, "remote", "add", "peer", peer)).ExitCode);
        var config = Path.Combine(laptop, ".tether", "config.yml");
        File.WriteAllText(config, Regex.Replace(File.ReadAllText(config), "^triggers:\n", "triggers:\n  - {type: interval, remote: peer, every: 1s}\n", RegexOptions.Multiline));

        using var node = await WatchingNode.StartAsync(laptop);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("Trigger interval:peer started"), TimeSpan.FromSeconds(10), () => node.Daemon.Output);
        await Task.Delay(500); // past the first pull at start: only the trigger can bring what comes next
        File.WriteAllText(Path.Combine(peer, "from-peer.txt"), "committed on the peer, never pushed\n");
        GitCli.Run(peer, "add", "from-peer.txt");
        GitCli.Run(peer, "commit", "-q", "-m", "on the peer");

        await Eventually.TrueAsync(() => File.Exists(Path.Combine(laptop, "from-peer.txt")), TimeSpan.FromSeconds(15), () => node.Daemon.Output);
        // The daemon's output is read asynchronously, and on a loaded machine the start-up pull can be the one that
        // brought the file: the trigger's own sync request must show within a few of its periods either way.
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("syncing peer (every 1s)"), TimeSpan.FromSeconds(10), () => node.Daemon.Output);
        Assert.Equal(0, await node.StopAsync());
    }
}
