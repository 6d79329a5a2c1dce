using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>`tether remote add` looks at an ssh remote before adding it: tether there? a repository? (`--init` makes one).</summary>
public sealed class SshRemoteAddTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task APathThatIsNotARepositoryIsRefusedWithTheFixAndInitMakesIt()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = (dir.Combine("laptop"), dir.Combine("server"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", laptop)).ExitCode);
        var config = File.ReadAllText(Path.Combine(laptop, ".tether", "config.yml"));
        var url = $"{SshdFixture.TrustedHost}:{server}";

        var refused = await TetherProcess.RunAsync(laptop, Soon, sshd.Environment, "remote", "add", "server", url);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"has no Tether repository at {server}", refused.Output);
        Assert.Contains("add --init to make one there", refused.Output);
        Assert.Equal(config, File.ReadAllText(Path.Combine(laptop, ".tether", "config.yml")));
        Assert.NotEqual(0, GitCli.TryRun(laptop, "config", "remote.server.url").ExitCode);

        var added = await TetherProcess.RunAsync(laptop, Soon, sshd.Environment, "remote", "add", "server", url, "--init");
        Assert.True(added.ExitCode == 0, added.Output);
        Assert.Contains($"Initialised {server} on {SshdFixture.TrustedHost}", added.Output);
        Assert.NotEqual("", GitCli.Run(server, "config", "annex.uuid").Trim());

        File.WriteAllText(Path.Combine(laptop, "note.txt"), "hello\n");
        var sync = await TetherProcess.RunAsync(laptop, Soon, sshd.Environment, "sync");
        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.Contains("note.txt", WatchingNode.TreePaths(server, "refs/heads/synced/main"));
    }

    [Fact]
    public async Task AServerWithoutTetherIsRefusedSayingHowToPutItOnThePath()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = (dir.Combine("laptop"), dir.Combine("server"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", server)).ExitCode);
        var environment = new Dictionary<string, string>(sshd.Environment) { ["TETHER_REMOTE_COMMAND"] = "tether-not-installed-here" };

        var refused = await TetherProcess.RunAsync(laptop, Soon, environment, "remote", "add", "server", $"{SshdFixture.TrustedHost}:{server}");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("tether is not installed there, or not on the PATH a non-interactive ssh session sees", refused.Output);
        Assert.Contains("TETHER_REMOTE_COMMAND=/path/to/tether", refused.Output);
    }

    [Fact]
    public async Task ASyncToAServerWhoseRepositoryWentAwaySaysSoOnce()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = (dir.Combine("laptop"), dir.Combine("server"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", server)).ExitCode);
        var added = await TetherProcess.RunAsync(laptop, Soon, sshd.Environment, "remote", "add", "server", $"{SshdFixture.TrustedHost}:{server}");
        Assert.True(added.ExitCode == 0, added.Output);
        Directory.Delete(server, recursive: true);

        var sync = await TetherProcess.RunAsync(laptop, Soon, sshd.Environment, "sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.True(Count(sync.Output, "no Tether repository at") == 1 && Count(sync.Output, "does not appear to be a git repository") == 0, sync.Output);
        Assert.Contains($"make one with 'tether init {server}' there", sync.Output);
    }

    private static int Count(string text, string what) => text.Split(what).Length - 1;
}
