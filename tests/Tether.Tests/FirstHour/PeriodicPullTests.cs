using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>
/// A server the laptop has as a remote cannot push back: the laptop pulls from it every pull_interval, so its
/// changes arrive without a poke, unless the server's live change notification already tells the laptop of them.
/// </summary>
public sealed class PeriodicPullTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AServerThatCannotNotifyIsPulledFromEveryPullInterval()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = (dir.Combine("laptop"), dir.Combine("server"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", server)).ExitCode);
        var environment = new Dictionary<string, string>(sshd.Environment) { ["TETHER_REMOTE_COMMAND"] = ServerWithoutNotify(dir) };
        var add = await TetherProcess.RunAsync(laptop, Soon, environment, "remote", "add", "server", $"{SshdFixture.TrustedHost}:{server}");
        Assert.True(add.ExitCode == 0, add.Output);
        var config = Path.Combine(laptop, ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("pull_interval: 1m", "pull_interval: 2s"));

        using var node = await WatchingNode.StartAsync(laptop, environment);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("the server cannot notify changes"), Soon, node.Daemon.Describe);
        await Eventually.TrueAsync(async () => (await node.QueryAsync(Tether.Kernel.Control.ControlCommand.Status))?.Status?.Remotes
            .Any(r => r is { Name: "server", LastPullOk: true, LastPushOk: true }) == true, Soon, node.Daemon.Describe); // start-up's sync is over
        File.WriteAllText(Path.Combine(server, "from the server.txt"), "made there\n");
        Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode); // committed there; the server has no remote for the laptop

        await Eventually.TrueAsync(() => File.Exists(Path.Combine(laptop, "from the server.txt")), Soon, node.Daemon.Describe);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("server: periodic pull (every 00:00:02)"), Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task TheDefaultIsOneMinuteAndZeroTurnsItOff()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Contains("pull_interval: 1m", (await CliRunner.RunAsync(dir.Combine("a"), "config", "check")).Out);
        var config = dir.Combine("a", ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("pull_interval: 1m", "pull_interval: 0"));
        var check = await CliRunner.RunAsync(dir.Combine("a"), "config", "check");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("pull_interval: 0s", check.Out);
    }

    /// <summary>
    /// A server whose tether predates live notification: a stand-in for the remote program that answers NOTIFY with an
    /// error, as such a server does, and passes every other session through to the real tether.
    /// </summary>
    private static string ServerWithoutNotify(TempFolder dir)
    {
        var folder = dir.Combine("old-server");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "tether");
        File.WriteAllText(path, """
            #!/bin/bash
            echo "TETHER-SHELL 1"
            IFS= read -r first
            if [ "$first" = NOTIFY ]; then echo "ERROR unknown request NOTIFY"; exit 0; fi
            { printf '%s\n' "$first"; exec cat; } | tether "$@" | { IFS= read -r greeting; exec cat; }
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }
}
