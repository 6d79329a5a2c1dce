using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>
/// The ssh plugin and rsync over ssh, through a real sshd on 127.0.0.1 (<see cref="SshdFixture"/>): git and
/// content converge both ways with `tether sync` and `tether watch`; an unknown host key is refused with advice.
/// </summary>
public class SshRemoteTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SyncOverSshConvergesGitAndContentBothWays()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var laptop = dir.Combine("laptop");
        var server = dir.Combine("server");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", laptop, "--description", "laptop")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", server, "--description", "server")).ExitCode);
        var add = await CliRunner.RunAsync(laptop, "remote", "add", "server", $"{SshdFixture.TrustedHost}:{server}");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("(ssh, cost 200)", add.Out);

        var big = PluginTestFiles.WriteRandom(Path.Combine(laptop, "big.bin"), 3 << 20);
        File.WriteAllText(Path.Combine(laptop, "note.txt"), "from the laptop\n");
        var (code, output) = await TetherProcess.RunAsync(laptop, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        Assert.Contains("big.bin", WatchingNode.TreePaths(server, "refs/heads/synced/main"));
        var key = Key.Parse(PluginTestFiles.KeyOf(Path.Combine(laptop, "big.bin")));
        Assert.True(ServerHas(server, key), $"the server should hold {key}: {output}");
        // The server's own location log says so (tether shell recorded it there).
        Assert.Contains(GitCli.Run(server, "config", "annex.uuid").Trim(), GitCli.Run(server, "show", $"git-annex:{HashDirs.Lower(key)}{KeyFileName.Escape(key)}.log"));
        Assert.Equal(GitCli.Run(server, "config", "annex.uuid").Trim(), GitCli.Run(laptop, "config", "remote.server.annex-uuid").Trim());

        // The server side changes; the laptop's next sync brings git and content back.
        Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode); // merges what the laptop pushed
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(server, "big.bin")));
        var other = PluginTestFiles.WriteRandom(Path.Combine(server, "other.bin"), 2 << 20);
        Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode); // commits it
        (code, output) = await TetherProcess.RunAsync(laptop, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        Assert.Equal(other, File.ReadAllBytes(Path.Combine(laptop, "other.bin")));
        Assert.Equal("from the laptop\n", File.ReadAllText(Path.Combine(server, "note.txt")));
    }

    [Fact]
    public async Task WatchOverSshPushesChangesAndContentAndPullsOnAPoke()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = await LaptopWithServerAsync(dir, server => $"ssh://{SshdFixture.TrustedHost}{server}");

        using var daemon = TetherProcess.Start(laptop, sshd.Environment, "watch", "--verbose");
        try
        {
            await Eventually.TrueAsync(() => File.Exists(Path.Combine(laptop, ".git", "tether", "control.sock")) || daemon.HasExited, TimeSpan.FromSeconds(30), daemon.Describe);
            var big = PluginTestFiles.WriteRandom(Path.Combine(laptop, "watched.bin"), 2 << 20);
            await Eventually.TrueAsync(() => WatchingNode.TreePaths(server, "refs/heads/synced/main").Contains("watched.bin"), Bounded, daemon.Describe);
            await Eventually.TrueAsync(() => Directory.EnumerateFiles(Path.Combine(server, ".git", "annex", "objects"), "*", SearchOption.AllDirectories).Any(f => new FileInfo(f).Length == big.Length),
                Bounded, daemon.Describe);

            var back = PluginTestFiles.WriteRandom(Path.Combine(server, "back.bin"), 2 << 20);
            Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode);
            Assert.Equal(0, (await CliRunner.RunAsync(laptop, "poke", "server")).ExitCode);
            await Eventually.TrueAsync(() => File.Exists(Path.Combine(laptop, "back.bin")) && PluginTestFiles.HasContent(Path.Combine(laptop, "back.bin")), Bounded, daemon.Describe);
            Assert.Equal(back, File.ReadAllBytes(Path.Combine(laptop, "back.bin")));
        }
        finally
        {
            daemon.Terminate();
            await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task AnUnknownHostKeyIsRefusedWithAdviceAndNothingMoves()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = await LaptopWithServerAsync(dir, server => $"{SshdFixture.UntrustedHost}:{server}");
        PluginTestFiles.WriteRandom(Path.Combine(laptop, "big.bin"), 2 << 20);

        var (code, output) = await TetherProcess.RunAsync(laptop, Bounded, sshd.Environment, "sync");
        Assert.Equal(1, code);
        Assert.Contains("host key", output);
        Assert.Contains("ssh-keyscan -p", output);
        Assert.Contains("known_hosts", output);
        Assert.Empty(WatchingNode.TreePaths(server, "refs/heads/synced/main"));
        Assert.False(Directory.Exists(Path.Combine(server, ".git", "annex", "objects")) &&
                     Directory.EnumerateFiles(Path.Combine(server, ".git", "annex", "objects"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task AnRsyncRemoteOverSshReceivesAndServesContent()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("remote store");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "nas", $"{SshdFixture.TrustedHost}:{store}", "--backend", "rsync")).ExitCode);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 3 << 20);
        var (code, output) = await TetherProcess.RunAsync(a, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        var key = Key.Parse(PluginTestFiles.KeyOf(Path.Combine(a, "big.bin")));
        Assert.True(File.Exists(Path.Combine(store, HashDirs.Lower(key), KeyFileName.Escape(key), KeyFileName.Escape(key))), output);

        (code, output) = await TetherProcess.RunAsync(a, Bounded, sshd.Environment, "drop", "big.bin");
        Assert.True(code == 0, output);
        Assert.False(PluginTestFiles.HasContent(Path.Combine(a, "big.bin")));
        (code, output) = await TetherProcess.RunAsync(a, Bounded, sshd.Environment, "get", "big.bin");
        Assert.True(code == 0, output);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
    }

    [Fact]
    public async Task ARemoteWithoutTetherIsNamedAsSuch()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var server = dir.Combine("server");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", server)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "server", $"{SshdFixture.TrustedHost}:{server}")).ExitCode);
        // As if tether were not installed there: the remote command names a program the remote does not have.
        var environment = new Dictionary<string, string>(sshd.Environment) { ["TETHER_REMOTE_COMMAND"] = "tether-not-installed-here" };
        var (code, output) = await TetherProcess.RunAsync(a, Bounded, environment, "sync");
        Assert.Equal(1, code);
        Assert.Contains("tether is not installed on tether-test (or not on PATH for non-interactive ssh)", output);
    }

    [Fact]
    public async Task ARepositoryReplacedAtTheSamePlaceIsNoticedBeforeContentGoesThere()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = await LaptopWithServerAsync(dir, server => $"{SshdFixture.TrustedHost}:{server}");
        var (code, output) = await TetherProcess.RunAsync(laptop, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        var recorded = GitCli.Run(laptop, "config", "remote.server.annex-uuid").Trim();

        // Someone wipes the server's repository and makes a new one at the same path: a different annex UUID.
        Directory.Delete(server, recursive: true);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", server)).ExitCode);
        var replaced = GitCli.Run(server, "config", "annex.uuid").Trim();
        Assert.NotEqual(recorded, replaced);
        PluginTestFiles.WriteRandom(Path.Combine(laptop, "after.bin"), 1 << 20);

        (code, output) = await TetherProcess.RunAsync(laptop, Bounded, sshd.Environment, "sync");
        Assert.Equal(1, code);
        var key = Key.Parse(PluginTestFiles.KeyOf(Path.Combine(laptop, "after.bin")));
        Assert.Contains($"has annex UUID {replaced}, not {recorded} as recorded for remote 'server'", output);
        Assert.Contains("git config --unset remote.server.annex-uuid", output);
        Assert.False(ServerHas(server, key), output);
        Assert.Equal(recorded, GitCli.Run(laptop, "config", "remote.server.annex-uuid").Trim());
    }

    [Fact]
    public async Task TheContentSessionPrefersAesGcmOnlyWhereTheUserLeftTheCipherListAlone()
    {
        sshd.Require();
        if (!File.ReadAllText("/proc/cpuinfo").Split([' ', '\t', '\n']).Contains("aes"))
            Assert.Fail("this test needs a CPU with AES instructions (CI machines have them): nothing to prefer AES-GCM for here");
        using var dir = new TempFolder();
        // An `ssh` first on PATH that logs its arguments, then runs the real one.
        var wrappers = Directory.CreateDirectory(dir.Combine("wrappers")).FullName;
        var log = dir.Combine("ssh-args.log");
        File.WriteAllText(Path.Combine(wrappers, "ssh"), $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec /usr/bin/ssh \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(wrappers, "ssh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = $"{wrappers}:{Environment.GetEnvironmentVariable("PATH")}";
        var chosen = dir.Combine("ssh_config_with_ciphers");
        File.WriteAllText(chosen, "Host *\n  Ciphers aes128-ctr,chacha20-poly1305@openssh.com\n" + File.ReadAllText(sshd.ConfigFile));

        foreach (var (config, expectPreference) in new[] { (sshd.ConfigFile, true), (chosen, false) })
        {
            using var repos = new TempFolder();
            var (laptop, _) = await LaptopWithServerAsync(repos, s => $"{SshdFixture.TrustedHost}:{s}");
            PluginTestFiles.WriteRandom(Path.Combine(laptop, "big.bin"), 1 << 20);
            File.Delete(log);
            var environment = new Dictionary<string, string> { ["TETHER_SSH_CONFIG"] = config, ["PATH"] = path };
            var (code, output) = await TetherProcess.RunAsync(laptop, Bounded, environment, "sync");
            Assert.True(code == 0, output);
            var session = File.ReadAllLines(log).Single(l => l.Contains(" 'shell' ", StringComparison.Ordinal)); // the remote command, each word quoted
            Assert.Equal(expectPreference, session.Contains("Ciphers=^aes128-gcm@openssh.com", StringComparison.Ordinal));
        }
    }

    private static bool ServerHas(string server, Key key) =>
        Directory.Exists(Path.Combine(server, ".git", "annex", "objects")) &&
        Directory.EnumerateFiles(Path.Combine(server, ".git", "annex", "objects"), KeyFileName.Escape(key), SearchOption.AllDirectories).Any();

    /// <summary>Two fresh repositories, "laptop" with "server" added as its remote at the URL made from server's path.</summary>
    private static async Task<(string Laptop, string Server)> LaptopWithServerAsync(TempFolder dir, Func<string, string> urlOf)
    {
        var (laptop, server) = (dir.Combine("laptop"), dir.Combine("server"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", server)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(laptop, "remote", "add", "server", urlOf(server))).ExitCode);
        return (laptop, server);
    }
}
