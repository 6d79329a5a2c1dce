using System.Text.Json;
using Tether.Kernel.Control;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>A running daemon follows edits to its config file: a good edit takes effect, a bad one is reported and the last good one kept.</summary>
public sealed class LiveConfigReloadTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AHookAddedByHandFiresWithoutARestartAndABadEditKeepsTheLastGoodConfig()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        using var node = await WatchingNode.StartAsync(a);
        var config = Path.Combine(a, ".tether", "config.yml");
        var fired = dir.Combine("fired.txt");
        var errors = dir.Combine("errors.txt");
        var good = File.ReadAllText(config).Replace("\nhooks:\n",
            $"\nhooks:\n  - events: [commit]\n    command: [\"sh\", \"-c\", \"echo commit >> {fired}\"]\n" +
            $"  - events: [error]\n    command: [\"sh\", \"-c\", \"cat >> {errors}\"]\n");
        File.WriteAllText(config, good); // an edit by hand, as a user makes it

        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("hooks: 2;"), Soon, node.Daemon.Describe);
        File.WriteAllText(Path.Combine(a, "one.txt"), "1");
        await Eventually.TrueAsync(() => File.Exists(fired), Soon, node.Daemon.Describe);

        File.WriteAllText(config, good.Replace("push_retry_interval: 30m", "push_retry_interval: soon")); // a bad edit
        var badLine = good.Split('\n').ToList().FindIndex(l => l.StartsWith("push_retry_interval:", StringComparison.Ordinal)) + 1;
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status?.Warnings.Any(w => w.Contains("config.yml:" + badLine)) == true,
            Soon, node.Daemon.Describe);
        await Eventually.TrueAsync(() => File.Exists(errors) && File.ReadAllText(errors).Contains("config.yml:" + badLine), Soon, node.Daemon.Describe);
        Assert.Contains("the last good one stays in force", node.Daemon.Output);
        var reload = await CliRunner.RunAsync(a, "reload");
        Assert.Equal(2, reload.ExitCode);
        Assert.Contains($"config.yml:{badLine}:", reload.Error);

        File.WriteAllText(Path.Combine(a, "two.txt"), "2"); // the last good config's hook still fires
        await Eventually.TrueAsync(() => File.ReadAllLines(fired).Length >= 2, Soon, node.Daemon.Describe);

        File.WriteAllText(config, good);
        var fixedReload = await CliRunner.RunAsync(a, "reload");
        Assert.True(fixedReload.ExitCode == 0, fixedReload.ToString());
        Assert.Contains("reloaded", fixedReload.Out);
        var status = await node.QueryAsync(ControlCommand.Status);
        Assert.DoesNotContain(status!.Status!.Warnings, w => w.Contains("config"));
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task RemoteAddWritesTheBandwidthLimitAndWants()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        var add = await CliRunner.RunAsync(dir.Combine("a"), "remote", "add", "b", "../b", "--bandwidth-limit", "2MiB/s", "--wants", "photos/**", "--wants", "*.pdf");
        Assert.True(add.ExitCode == 0, add.ToString());
        var check = await CliRunner.RunAsync(dir.Combine("a"), "config", "check");
        Assert.Contains("bandwidth_limit: 2MiB/s", check.Out);
        Assert.Contains("wants: [\"photos/**\", \"*.pdf\"]", check.Out);

        var bad = await CliRunner.RunAsync(dir.Combine("a"), "remote", "add", "c", "../b", "--bandwidth-limit", "fast");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is not a rate", bad.Error);
    }
}
