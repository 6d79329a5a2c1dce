using Tether.Tests.Safety.BadInput;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>
/// A local-path remote on a network mount (sshfs, through the test sshd): inotify here never sees a commit made on
/// the server, so the daemon keeps a `tether shell` NOTIFY session on the mount, which compares the refs every
/// second. A commit made on the server side reaches the laptop's work tree at once, with the 30-minute retry timer
/// and no periodic pull for local paths (root: FUSE mount).
/// </summary>
public sealed class NotifyOnNetworkMountTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    [RootFact]
    public async Task ACommitOnTheServerReachesALaptopThatMountsItOverTheNetworkAtOnce()
    {
        sshd.Require();
        using var temp = new TempFolder();
        var (server, mount, a) = (temp.Combine("server"), temp.Combine("mnt"), temp.Combine("a"));
        foreach (var repo in new[] { server, a })
            Assert.Equal(0, (await CliRunner.RunAsync(temp.Path, "init", repo)).ExitCode);
        Directory.CreateDirectory(mount);
        // sshfs's own directory cache holds a ref's old stat for 20 s; the docs say to mount without it for live notification
        var mounted = GitCli.TryRunTool("sshfs", temp.Path, "-F", sshd.ConfigFile, "-o", "dir_cache=no", $"{SshdFixture.TrustedHost}:{server}", mount);
        Assert.True(mounted.ExitCode == 0, $"sshfs (apt-get install sshfs) could not mount the server: {mounted.Output}");
        try
        {
            Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "server", mount)).ExitCode);
            using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);
            await Eventually.TrueAsync(() => node.Daemon.Output.Contains("server: listening for changes"), Bounded, node.Daemon.Describe);

            // Two commits made on the server itself (not through the mount): the second surely after the first sync.
            foreach (var name in new[] { "first.txt", "second.txt" })
            {
                await File.WriteAllTextAsync(Path.Combine(server, name), $"{name} committed on the server\n");
                GitCli.Run(server, "add", name);
                GitCli.Run(server, "commit", "-q", "-m", $"add {name}");
                await Eventually.TrueAsync(() => File.Exists(Path.Combine(a, name)), Quickly, node.Daemon.Describe);
            }
            Assert.Equal("second.txt committed on the server\n", await File.ReadAllTextAsync(Path.Combine(a, "second.txt")));
            Assert.Contains("live: told of its changes as they happen", (await CliRunner.RunAsync(a, "status")).Out);
            Assert.Equal(0, await node.StopAsync());
        }
        finally
        {
            GitCli.TryRunTool("umount", temp.Path, "-l", mount);
        }
    }
}
