using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>
/// The cloud role, daemon to daemon: two nodes that are never running at the same time exchange content through an
/// rclone remote (git still travels through a bare repository that is sent no content, wants: none).
/// </summary>
public class CloudBridgeTests
{
    [Fact]
    public async Task ContentAddedOnANodeReachesANodeNeverOnlineWithItThroughTheCloudRemote()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests");
        ExternalRemoteFixture.RequireRclone();
        using var dir = new TempFolder();
        var hub = dir.Combine("hub.git");
        var store = dir.Combine("cloud");
        GitCli.Run(dir.Path, "init", "-q", "--bare", hub);
        var a = dir.Combine("a");
        var c = dir.Combine("c");

        // A: git through the hub (no content there), content through the cloud.
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a, "--description", "a"));
        AddGitOnlyHub(a, hub);
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none", "-c", "target=:local", "-c", $"prefix={store}"));
        var cloudUuid = GitCli.Run(a, "config", "remote.cloud.annex-uuid").Trim();
        string keyPath;
        byte[] content;
        using (var nodeA = await WatchingNode.StartAsync(a))
        {
            content = PluginTestFiles.WriteRandom(nodeA.Combine("holiday.mkv"), 3 << 20);
            await Eventually.TrueAsync(() => new FileInfo(nodeA.Combine("holiday.mkv")).LinkTarget is not null, TimeSpan.FromSeconds(60), nodeA.Daemon.Describe);
            var key = Key.Parse(PluginTestFiles.KeyOf(nodeA.Combine("holiday.mkv")));
            keyPath = Path.Combine(store, HashDirs.Lower(key), key.ToString());
            await Eventually.TrueAsync(() => File.Exists(keyPath) && new FileInfo(keyPath).Length == content.Length, TimeSpan.FromSeconds(60), nodeA.Daemon.Describe);
            // The hub has the commit and the location log saying the cloud has the key (what C needs to know where to look).
            var log = $"git-annex:{HashDirs.Lower(key)}{key}.log";
            await Eventually.TrueAsync(() => GitCli.TryRun(hub, "show", log) is { ExitCode: 0 } shown && shown.Output.Contains($" 1 {cloudUuid}"),
                TimeSpan.FromSeconds(60), nodeA.Daemon.Describe);
            Assert.Equal(0, await nodeA.StopAsync());
        }
        Assert.DoesNotContain(Directory.GetFiles(hub, "*", SearchOption.AllDirectories), f => f.Contains("/annex/objects/")); // no content went through git's path

        // C, started only now that A is gone: learns the tree and the cloud from the hub, fetches the content from the cloud.
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", c, "--description", "c"));
        AddGitOnlyHub(c, hub);
        Ok(await CliRunner.RunAsync(c, "sync", "--no-content")); // the git-annex branch brings remote.log: the cloud can be enabled by name
        Ok(await CliRunner.RunAsync(c, "remote", "enable", "cloud"));
        Assert.Equal(cloudUuid, GitCli.Run(c, "config", "remote.cloud.annex-uuid").Trim());
        using var nodeC = await WatchingNode.StartAsync(c);
        await Eventually.TrueAsync(() => PluginTestFiles.HasContent(nodeC.Combine("holiday.mkv")), TimeSpan.FromSeconds(60), nodeC.Daemon.Describe);
        Assert.Equal(content, File.ReadAllBytes(nodeC.Combine("holiday.mkv")));
        Assert.Equal(0, await nodeC.StopAsync());
    }

    [Fact]
    public async Task ATransferPointHoldsAFileOnlyUntilEveryNodeThatWantsItHasItThenItIsDroppedThere()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests");
        ExternalRemoteFixture.RequireRclone();
        using var dir = new TempFolder();
        var hub = dir.Combine("hub.git");
        var store = dir.Combine("cloud");
        GitCli.Run(dir.Path, "init", "-q", "--bare", hub);
        var a = dir.Combine("a");
        var c = dir.Combine("c");
        Ok(await CliRunner.RunAsync(dir.Path, "init", a, "--description", "a"));
        AddGitOnlyHub(a, hub);
        var added = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none", "-c", "target=:local", "-c", $"prefix={store}", "--transfer");
        Ok(added);
        Assert.Contains("transfer point", added.Out);
        var cloudUuid = GitCli.Run(a, "config", "remote.cloud.annex-uuid").Trim();
        Assert.Contains($"{cloudUuid} transfer", GitCli.Run(a, "show", "git-annex:group.log")); // as git annex group writes it

        // A is alone so far: the cloud keeps a copy for the nodes to come.
        string keyPath;
        Key key;
        byte[] content;
        using (var nodeA = await WatchingNode.StartAsync(a))
        {
            content = PluginTestFiles.WriteRandom(nodeA.Combine("film.mkv"), 2 << 20);
            await Eventually.TrueAsync(() => PointerKey(a, "film.mkv") is not null, TimeSpan.FromSeconds(60), nodeA.Daemon.Describe);
            key = PointerKey(a, "film.mkv")!;
            keyPath = Path.Combine(store, HashDirs.Lower(key), key.ToString());
            await Eventually.TrueAsync(() => File.Exists(keyPath), TimeSpan.FromSeconds(60), nodeA.Daemon.Describe);
            var log = $"git-annex:{HashDirs.Lower(key)}{key}.log";
            await Eventually.TrueAsync(() => GitCli.TryRun(hub, "show", log) is { ExitCode: 0 } shown && shown.Output.Contains($" 1 {cloudUuid}"),
                TimeSpan.FromSeconds(60), nodeA.Daemon.Describe);
            Assert.Equal(0, await nodeA.StopAsync());
        }

        // C fetches it from the cloud; then both nodes that want it have it, and the cloud's copy goes.
        Ok(await CliRunner.RunAsync(dir.Path, "init", c, "--description", "c"));
        AddGitOnlyHub(c, hub);
        Ok(await CliRunner.RunAsync(c, "sync", "--no-content"));
        Ok(await CliRunner.RunAsync(c, "remote", "enable", "cloud"));
        using var nodeC = await WatchingNode.StartAsync(c);
        await Eventually.TrueAsync(() => File.Exists(nodeC.Combine("film.mkv")) && File.ReadAllBytes(nodeC.Combine("film.mkv")).SequenceEqual(content),
            TimeSpan.FromSeconds(60), nodeC.Daemon.Describe);
        await Eventually.TrueAsync(() => nodeC.Daemon.Output.Contains("a transfer point: every node that wants it has it"), TimeSpan.FromSeconds(60), nodeC.Daemon.Describe);
        Assert.False(File.Exists(keyPath));
        Assert.Equal(0, await nodeC.StopAsync());
        Assert.Contains($" 0 {cloudUuid}", GitCli.Run(c, "show", $"git-annex:{HashDirs.Lower(key)}{key}.log"));
        Assert.NotNull(new Kernel.Annex.ObjectStore(Kernel.Repositories.AnnexRepository.Open(a)).FindContent(key)); // A's copy stays
    }

    private static Key? PointerKey(string repo, string path) =>
        GitCli.TryRun(repo, "cat-file", "-p", $"HEAD:{path}") is (0, var shown)
        && Kernel.Annex.AnnexLink.TryParsePointer(System.Text.Encoding.UTF8.GetBytes(shown), out var key) ? key : null;

    /// <summary>A bare hub for git that is sent no content (wants: none), so the cloud is the only way content travels.</summary>
    private static void AddGitOnlyHub(string repo, string hub)
    {
        Ok(CliRunner.RunAsync(repo, "remote", "add", "hub", hub).GetAwaiter().GetResult());
        var config = Path.Combine(repo, ".tether", "config.yml");
        var text = File.ReadAllText(config);
        var entry = $"url: {hub}";
        Assert.Contains(entry, text);
        var at = text.IndexOf(entry, StringComparison.Ordinal);
        var indent = text[(text.LastIndexOf('\n', at) + 1)..at];
        File.WriteAllText(config, text.Insert(at + entry.Length, $"\n{indent}wants: none"));
    }

    private static void Ok(CliRunner.Result result) => Assert.True(result.ExitCode == 0, result.ToString());
}
