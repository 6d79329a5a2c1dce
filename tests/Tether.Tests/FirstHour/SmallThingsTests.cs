using Tether.Kernel.Control;
using Tether.Tests.Safety.BadInput;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>The small frictions of issue 21's last item: each said plainly.</summary>
public sealed class SmallThingsTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ADaemonWithNoRemotesSaysSoWithoutADanglingColon()
    {
        using var dir = new TempFolder();
        using var node = await WatchingNode.StartAsync(dir.Combine("a"));
        Assert.Contains("with no remotes yet (every change is committed; add one with 'tether remote add')", node.Daemon.Output);
        Assert.DoesNotContain("remote(s): \n", node.Daemon.Output.ReplaceLineEndings("\n"));
        Assert.Equal(0, await node.StopAsync());
        var log = File.ReadAllText(Path.Combine(dir.Combine("a"), ".git", "tether", "daemon.log"));
        Assert.Contains($"Watching {dir.Combine("a")} with no remotes yet", log); // values unquoted in the log file
    }

    [RootFact]
    public async Task RemoteListShowsADrivesUuidAsDriveListDoes()
    {
        using var dir = new TempFolder();
        using var drive = TestMount.Tmpfs(dir.Combine("usb"), "16m");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var added = await CliRunner.RunAsync(dir.Combine("a"), "drive", "add", "usb", drive.Path);
        Assert.True(added.ExitCode == 0, added.ToString());
        var uuid = GitCli.Run(Path.Combine(drive.Path, "tether"), "config", "annex.uuid").Trim();
        var list = await CliRunner.RunAsync(dir.Combine("a"), "remote", "list");
        Assert.Contains(uuid, list.Out);
        Assert.DoesNotContain("uuid not known", list.Out);
    }

    [Fact]
    public async Task AContentOnlyRemoteIsShownAsContentOnlyNotAsPushedAndPulled()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "store", dir.Combine("store"), "--backend", "rsync")).ExitCode);
        using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status?.Remotes.Any(r => r is { Name: "store", ContentOnly: true }) == true,
            Soon, node.Daemon.Describe);
        var status = (await CliRunner.RunAsync(a, "status", "--once")).Out;
        var store = status[status.IndexOf("remote store:", StringComparison.Ordinal)..];
        Assert.Contains("  content only (no git there: history and small files are not sent; not a full backup on its own)", store);
        Assert.DoesNotContain("push: ok", store);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task ADownloadNamesTheRemoteItComesFrom()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", b)).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big1.bin"), 2 << 20);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "laptop", a)).ExitCode);
        var sync = await CliRunner.RunAsync(b, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("download big1.bin <- laptop: 2.0 MiB", sync.Out);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "drop", "big1.bin")).ExitCode);
        Assert.Contains("download big1.bin <- laptop: 2.0 MiB", (await CliRunner.RunAsync(b, "get", "big1.bin")).Out);
    }
}
