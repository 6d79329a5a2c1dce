using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>git-annex as the oracle for external remotes: the same rclone remote used from both sides, each setting it up.</summary>
public class GitAnnexInteropTests
{
    private static void Require()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests (it installs the apt package git-annex)");
        ExternalRemoteFixture.RequireRclone();
    }

    private static Dictionary<string, string> RemoteLogFields(string repo, string name)
    {
        GitCli.Run(repo, "annex", "merge", "--quiet"); // commits the journal, git-annex's and ours
        var line = GitCli.Run(repo, "show", "git-annex:remote.log").Split('\n').Single(l => l.Contains($" name={name} "));
        return line.Split(' ').Skip(1).Where(f => !f.StartsWith("timestamp=", StringComparison.Ordinal)).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
    }

    [Fact]
    public async Task ARemoteAddedByTetherIsRecordedAsGitAnnexRecordsItAndAGitAnnexCloneGetsContentFromIt()
    {
        Require();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("cloud-store"); // the helper passes its prefix to rclone unquoted: no spaces there
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        var add = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none", "-c", "target=:local", "-c", $"prefix={store}", "-c", "note=two words&more");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("Added remote cloud (external, cost 200): external://rclone", add.Out);
        // Content only: git config as git-annex's initremote leaves it, with no url to fetch from.
        Assert.NotEqual(0, GitCli.TryRun(a, "config", "remote.cloud.url").ExitCode);
        Assert.Equal("rclone", GitCli.Run(a, "config", "remote.cloud.annex-externaltype").Trim());
        Assert.Equal("true", GitCli.Run(a, "config", "remote.cloud.skipfetchall").Trim());

        // The same fields git-annex's own initremote records for these settings (a space in a value escaped as &32;).
        var oracle = dir.Combine("oracle");
        GitCli.Run(dir.Path, "init", "-q", oracle);
        GitCli.Run(oracle, "annex", "init", "-q", "oracle");
        GitCli.Run(oracle, "annex", "initremote", "-q", "cloud", "type=external", "externaltype=rclone", "target=:local", $"prefix={store}", "encryption=none", "note=two words&more");
        var ours = RemoteLogFields(a, "cloud");
        Assert.Equal(RemoteLogFields(oracle, "cloud"), ours);
        Assert.Equal("two&32;words&38;more", ours["note"]);

        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "movie.mkv"), 2 << 20);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var key = Key.Parse(PluginTestFiles.KeyOf(Path.Combine(a, "movie.mkv")));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(store, HashDirs.Lower(key), key.ToString())));

        // A git-annex clone enables the remote from remote.log and gets the content through the same helper.
        var clone = dir.Combine("clone");
        GitCli.Run(dir.Path, "clone", "--quiet", a, clone);
        GitCli.Run(clone, "annex", "init", "-q", "annex clone");
        var enable = GitCli.TryRun(clone, "annex", "enableremote", "cloud");
        Assert.True(enable.ExitCode == 0, enable.Output);
        Assert.Contains("cloud", GitCli.Run(clone, "annex", "whereis", "movie.mkv")); // Tether's location log says the cloud has it
        var get = GitCli.TryRun(clone, "annex", "get", "--from", "cloud", "movie.mkv");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(clone, "movie.mkv")));
    }

    [Fact]
    public async Task ARemoteThatGitAnnexInitialisedIsEnabledByNameAndServesTether()
    {
        Require();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        var init = GitCli.TryRun(a, "annex", "initremote", "cloud", "type=external", "externaltype=rclone", "target=:local", $"prefix={store}", "encryption=none");
        Assert.True(init.ExitCode == 0, init.Output);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "photo.jpg"), 1 << 20);
        GitCli.Run(a, "annex", "add", "-q", "photo.jpg");
        GitCli.Run(a, "commit", "-q", "-m", "photo");
        var copy = GitCli.TryRun(a, "annex", "copy", "--to", "cloud", "photo.jpg");
        Assert.True(copy.ExitCode == 0, copy.Output);
        GitCli.Run(a, "annex", "drop", "--force", "photo.jpg");
        Assert.False(PluginTestFiles.HasContent(Path.Combine(a, "photo.jpg")));

        var enable = await CliRunner.RunAsync(a, "remote", "enable", "cloud");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        var uuid = GitCli.Run(a, "config", "remote.cloud.annex-uuid").Trim();
        Assert.Contains($"Enabled remote cloud (external, cost 200, uuid {uuid}): external://rclone", enable.Out);
        var get = await CliRunner.RunAsync(a, "get", "photo.jpg");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "photo.jpg")));

        // And the other way: what Tether stores there, git-annex finds (its fsck checks the content through the helper).
        var more = PluginTestFiles.WriteRandom(Path.Combine(a, "more.bin"), 1 << 20);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        GitCli.Run(a, "annex", "drop", "--force", "more.bin");
        var annexGet = GitCli.TryRun(a, "annex", "get", "--from", "cloud", "more.bin");
        Assert.True(annexGet.ExitCode == 0, annexGet.Output);
        Assert.Equal(more, File.ReadAllBytes(Path.Combine(a, "more.bin")));
    }

    [Fact]
    public async Task AnExternalRemoteThatIsNotSetUpFailsWithTheCommandsThatSetItUpAndAHelperRefusalIsShown()
    {
        Require();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        var refused = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none"); // no target=: the helper's INITREMOTE-FAILURE
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("remote 'cloud' (git-annex-remote-rclone): INITREMOTE failed: rclone remote target must be specified", refused.Error);
        Assert.Contains("no special remote named 'nothere'", (await CliRunner.RunAsync(a, "remote", "enable", "nothere")).Error);
        var again = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none", "-c", "target=:local", "-c", $"prefix={dir.Combine("s")}");
        Assert.True(again.ExitCode == 0, again.ToString());
        var twice = await CliRunner.RunAsync(dir.Path, "-C", a, "remote", "add", "cloud2", "external://rclone", "--encryption", "none", "-c", "name=x");
        Assert.Contains("-c name=... is set by tether itself", twice.Error);
    }

    [Fact]
    public async Task AnRsyncRemoteThatGitAnnexInitialisedIsEnabledByNameToo()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests");
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("rsync-store");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        var init = GitCli.TryRun(a, "annex", "initremote", "store", "type=rsync", $"rsyncurl={store}", "encryption=none");
        Assert.True(init.ExitCode == 0, init.Output);
        var enable = await CliRunner.RunAsync(a, "remote", "enable", "store");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.Contains($"Enabled remote store (rsync, cost 200, uuid {GitCli.Run(a, "config", "remote.store.annex-uuid").Trim()}): {store}", enable.Out);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        GitCli.Run(a, "annex", "drop", "--force", "big.bin");
        var get = GitCli.TryRun(a, "annex", "get", "--from", "store", "big.bin"); // git-annex finds what tether stored under its remote's uuid
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
    }
}
