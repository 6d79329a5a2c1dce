using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>remotes[].git in .tether/config.yml: off unless asked for, 'bundles' or 'none', anything else a config error naming the spot.</summary>
public class BundleConfigTests
{
    [Fact]
    public async Task AnUnknownGitValueIsAConfigErrorNamingItsLine()
    {
        using var dir = new TempFolder();
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var config = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(config, "remotes:\n  - name: cloud\n    url: /tmp/nowhere\n    backend: rsync\n    git: yes\n");
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.Equal(2, sync.ExitCode);
        Assert.Contains(config + ":5:10: remotes[0].git: unknown value 'yes'; expected 'bundles'", sync.Error);
    }

    [Fact]
    public async Task WithoutGitBundlesAContentRemoteStaysContentOnlyAndHoldsNoGitObject()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var add = await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync");
        Assert.True(add.ExitCode == 0, add.ToString());
        File.WriteAllText(Path.Combine(a, "notes.txt"), "private names\n");
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("content only, no git", sync.Out);
        Assert.Null(Manifest(store, CloudUuid(a)));
        Assert.DoesNotContain(Directory.Exists(store) ? Directory.GetFiles(store, "*", SearchOption.AllDirectories) : [], f => f.Contains("GITBUNDLE"));

        // Turned on, the same remote carries git, and the config keeps the setting when the remote list is rewritten.
        EnableGitBundles(a);
        sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("pull ok, push ok", sync.Out);
        Assert.NotNull(Manifest(store, CloudUuid(a)));
        var other = await CliRunner.RunAsync(a, "remote", "add", "other", dir.Combine("other"), "--backend", "rsync");
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Contains("git: bundles", File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
    }
}
