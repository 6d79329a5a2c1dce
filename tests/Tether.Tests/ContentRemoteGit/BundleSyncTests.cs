using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.ContentRemoteGit;
using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;
using Tether.Tests.Plugins;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>Two nodes that share only an rsync content remote converge through its git bundles: names, history, content.</summary>
public class BundleSyncTests
{
    [Fact]
    public async Task AFileAddedOnAReachesBThroughTheContentRemoteAloneWithItsHistoryAndContent()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(a, store);
        await AddCloudAsync(b, store);

        File.WriteAllText(Path.Combine(a, "notes.txt"), "written on A\n");
        var big = PluginTestFiles.WriteRandom(Path.Combine(a, "photos", "big.bin"), 2 << 20);
        await SyncOkAsync(a);
        var uuid = CloudUuid(a);
        Join(b, uuid);
        var manifest = Manifest(store, uuid);
        Assert.NotNull(manifest);
        Assert.NotEmpty(manifest.Bundles); // the branches, then the git-annex branch once the content was sent
        foreach (var bundle in manifest.Bundles)
        {
            Assert.True(File.Exists(ObjectPath(store, bundle)), $"{bundle}, which the manifest lists, is stored under its key");
            Assert.Equal(0, GitCli.TryRun(a, "bundle", "verify", ObjectPath(store, bundle)).ExitCode);
        }
        Assert.True(File.Exists(ObjectPath(store, GitRemoteAnnexKeys.BackupManifest(uuid))), "the backup manifest is stored too");

        await SyncOkAsync(b);
        Assert.Equal("written on A\n", File.ReadAllText(Path.Combine(b, "notes.txt")));
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(b, "photos", "big.bin")));
        var aCommits = GitCli.Run(a, "log", "--format=%H", "main").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var bCommits = GitCli.Run(b, "log", "--format=%H", "main");
        Assert.All(aCommits, c => Assert.Contains(c, bCommits)); // A's history, not a copy of its tree
        Assert.Equal(GitCli.Run(a, "ls-tree", "-r", "main"), GitCli.Run(b, "ls-tree", "-r", "main"));

        // And back: B's edit reaches A.
        File.WriteAllText(Path.Combine(b, "notes.txt"), "edited on B\n");
        await SyncOkAsync(b);
        await SyncOkAsync(a);
        Assert.Equal("edited on B\n", File.ReadAllText(Path.Combine(a, "notes.txt")));
        Assert.True(Manifest(store, uuid)!.Bundles.Count >= 2, "B's push was an incremental bundle appended to the manifest");
        Assert.DoesNotContain("refs/remotes/cloud/tether-tips", Refs(a));
    }

    [Fact]
    public async Task ConcurrentPushesFromBothNodesKeepBothBundlesAndBothChanges()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(a, store);
        await AddCloudAsync(b, store);
        File.WriteAllText(Path.Combine(a, "start.txt"), "shared\n");
        await SyncOkAsync(a);
        var uuid = CloudUuid(a);
        Join(b, uuid);
        await SyncOkAsync(b);

        File.WriteAllText(Path.Combine(a, "from-a.txt"), "A\n");
        File.WriteAllText(Path.Combine(b, "from-b.txt"), "B\n");
        var both = await Task.WhenAll(SyncAsync(a), SyncAsync(b)); // both push at the same time
        Assert.All(both, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var aBundle = Pushed(a, uuid)[^1];
        var bBundle = Pushed(b, uuid)[^1];

        var log = new List<string>();
        // Each node may have merged the other's push on its own (two merge commits of the same parents): a round more to settle.
        foreach (var node in new[] { a, b, a, b })
        {
            var r = await SyncAsync(node);
            log.Add($"{node}: {r}");
            log.Add(Manifest(store, uuid)!.Format());
        }
        var manifest = Manifest(store, uuid)!;
        Assert.Contains(aBundle, manifest.Bundles);
        Assert.Contains(bBundle, manifest.Bundles);
        foreach (var node in new[] { a, b })
        {
            Assert.Equal("A\n", File.ReadAllText(Path.Combine(node, "from-a.txt")));
            Assert.Equal("B\n", File.ReadAllText(Path.Combine(node, "from-b.txt")));
        }
        Assert.True(GitCli.Run(a, "rev-parse", "main") == GitCli.Run(b, "rev-parse", "main"),
            $"A:\n{GitCli.Run(a, "log", "--graph", "--oneline", "--all")}\nB:\n{GitCli.Run(b, "log", "--graph", "--oneline", "--all")}\nmanifest:\n{manifest.Format()}\nrefs A:\n{Refs(a)}\nrefs B:\n{Refs(b)}\npushed A: {string.Join(" ", Pushed(a, uuid))}\npushed B: {string.Join(" ", Pushed(b, uuid))}\nlog:\n{string.Join("\n", log)}");
    }

    [Fact]
    public async Task APushThatLosesTheRaceToAnotherNodeAgainAndAgainIsFetchedMergedAndPushedUntilItLands()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(a, store);
        await AddCloudAsync(b, store);
        File.WriteAllText(Path.Combine(a, "start.txt"), "shared\n");
        await SyncOkAsync(a);
        var uuid = CloudUuid(a);
        Join(b, uuid);
        await SyncOkAsync(b);
        File.WriteAllText(Path.Combine(a, "from-a.txt"), "A\n");
        GitCli.Run(a, "add", "from-a.txt");
        GitCli.Run(a, "commit", "-q", "-m", "from A");

        // B pushes a change of its own just before A reads the manifest, three times: A's push is refused twice in a row.
        var repo = AnnexRepository.Open(a);
        await using var rsync = RsyncRemoteTests.ShippedRsyncFactory().Create(new RemoteDescriptor("cloud", store, uuid, null));
        var racing = new RaceLosingBackend(rsync, GitRemoteAnnexKeys.Manifest(uuid), 3, async round =>
        {
            File.WriteAllText(Path.Combine(b, $"from-b-{round}.txt"), $"B {round}\n");
            await SyncOkAsync(b);
        });
        var endpoint = new RemoteEndpoint(new Remote("cloud", store, "rsync", 100, null) { GitBundles = true }) { Uuid = uuid, Content = racing, HasGit = false };
        var sync = new GitRemoteSync(repo, new GitTransport(repo), new BranchMerger(repo, TimeProvider.System, NullLogger.Instance), TimeProvider.System, NullLogger.Instance);
        sync.UpdateSyncedBranch();
        await sync.PushAsync(endpoint, remoteIsBare: false, CancellationToken.None);

        Assert.Equal(3, racing.Lost);
        Assert.Contains(Pushed(a, uuid)[^1], Manifest(store, uuid)!.Bundles);
        await SyncOkAsync(b);
        Assert.Equal("A\n", File.ReadAllText(Path.Combine(b, "from-a.txt")));
        Assert.Equal(GitCli.Run(a, "rev-parse", "main"), GitCli.Run(b, "rev-parse", "main")); // B fast-forwarded to A's merge of its three pushes
        foreach (var round in new[] { 1, 2, 3 }) Assert.Equal($"B {round}\n", GitCli.Run(a, "show", $"main:from-b-{round}.txt"));
    }
}
