using Tether.Kernel.Control;
using Tether.Tests.Safety.BadInput;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>`tether status` shows failed and cancelled transfers (why, and what happens next) and the files below numcopies.</summary>
public sealed class TransferProblemsInStatusTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [RootFact]
    public async Task AnUploadToAFullRemoteIsListedUnderItWithTheReasonAndWhatTheUserMustDo()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        using var remoteDisk = TestMount.Tmpfs(b, "3m");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 4_000_000);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);

        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status?.FailedTransfers.Any(p => p.Remote == "b") == true,
            Soon, node.Daemon.Describe);
        var status = await CliRunner.RunAsync(a, "status", "--once");
        var underB = status.Out[status.Out.IndexOf("remote b:", StringComparison.Ordinal)..];
        Assert.Matches(@"  failed upload big\.bin \(b\) at .*: no space left on b .*; next: needs you: free space on b, then 'tether poke b' retries it", underB);
        Assert.Contains("\"failed_transfers\"", (await CliRunner.RunAsync(a, "status", "--json")).Out);
        await Eventually.TrueAsync(() => File.ReadAllText(Path.Combine(a, ".git", "tether", "daemon.log")).Contains("Upload of big.bin via b failed: no space left on b"),
            Soon, node.Daemon.Describe); // the direction written as it is, not as "Upload"

        remoteDisk.Resize("16m");
        Assert.Equal(0, (await CliRunner.RunAsync(a, "poke", "b")).ExitCode);
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status?.FailedTransfers.Count == 0, Soon, node.Daemon.Describe);
        Assert.NotEqual("", DiskSnapshot.Listing(Path.Combine(b, ".git", "annex", "objects"), skip: null));
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task ACancelledUploadLeavesTheFileBelowNumcopiesAndBothAreShownUntilAPokeSendsIt()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var config = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("numcopies: 1", "numcopies: 2"));
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b, "--bandwidth-limit", "1MiB/s")).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 30_000_000);
        using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);

        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status?.Transfers.Any(t => t is { Running: true, Bytes: > 0 }) == true,
            Soon, node.Daemon.Describe);
        var cancel = await CliRunner.RunAsync(a, "transfers", "cancel", "--remote", "b");
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status is { Transfers.Count: 0 } s && s.FailedTransfers.Count == 1,
            Soon, node.Daemon.Describe);

        var status = await CliRunner.RunAsync(a, "status", "--once");
        Assert.Contains("  cancelled upload big.bin (b) at ", status.Out);
        Assert.Contains("next: not retried by itself: 'tether poke b' retries it, as does the next start", status.Out);
        Assert.Contains("below numcopies (2): 1 file(s) have fewer copies than wanted", status.Out);
        Assert.Contains("  big.bin: 1 copy", status.Out);

        var config2 = File.ReadAllText(config).Replace("bandwidth_limit: 1MiB/s", "bandwidth_limit: 500MiB/s");
        File.WriteAllText(config, config2);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "reload")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "poke", "b")).ExitCode);
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status is { FailedTransfers.Count: 0, BelowNumcopiesCount: 0 },
            Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }
}
