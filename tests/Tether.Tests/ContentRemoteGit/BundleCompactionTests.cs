using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.ContentRemoteGit;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Plugins;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>A full push replaces the bundles it covers, deleting them only once the manifest naming the new one is stored.</summary>
public class BundleCompactionTests
{
    [Fact]
    public async Task AFullPushDeletesTheOldBundlesOnlyAfterTheNewManifestIsStored()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        await AddCloudAsync(a, store);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(a, $"file{i}.txt"), $"{i}\n");
            await SyncOkAsync(a);
        }
        var uuid = CloudUuid(a);
        var old = Manifest(store, uuid)!.Bundles;
        Assert.True(old.Count >= 3, $"three syncs made incremental bundles: {old.Count}");
        File.WriteAllText(Path.Combine(a, "last.txt"), "last\n");
        GitCli.Run(a, "add", "last.txt");
        GitCli.Run(a, "commit", "-q", "-m", "last");

        var repo = AnnexRepository.Open(a);
        await using var backend = RsyncRemoteTests.ShippedRsyncFactory().Create(new RemoteDescriptor("cloud", store, uuid, null));
        var checkedInBetween = false;
        var pusher = new BundlePusher(repo, backend, "cloud", uuid, NullLogger.Instance)
        {
            MaxBundles = old.Count,
            BeforeDeletingOld = () =>
            {
                var stored = Manifest(store, uuid)!;
                var full = Assert.Single(stored.Bundles);
                Assert.DoesNotContain(full, old);
                Assert.Equal(old.OrderBy(k => k.ToString()), stored.Obsolete.OrderBy(k => k.ToString()));
                Assert.All(old, k => Assert.True(File.Exists(ObjectPath(store, k)), $"{k} deleted before the manifest replacing it was stored"));
                checkedInBetween = true;
                return Task.CompletedTask;
            },
        };
        var refs = new Dictionary<string, string>
        {
            ["main"] = GitCli.Run(a, "rev-parse", "main").Trim(),
            ["synced/main"] = GitCli.Run(a, "rev-parse", "main").Trim(),
            ["git-annex"] = GitCli.Run(a, "rev-parse", "git-annex").Trim(),
        };
        var pushed = await pusher.PushAsync(refs, CancellationToken.None);

        Assert.True(checkedInBetween);
        var after = Manifest(store, uuid)!;
        Assert.Equal([pushed!], after.Bundles);
        Assert.Empty(after.Obsolete);
        Assert.All(old, k => Assert.False(File.Exists(ObjectPath(store, k)), $"{k} is still on the remote"));

        // A node joining now gets everything from that one bundle.
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(b, store);
        Join(b, uuid);
        await SyncOkAsync(b);
        Assert.Equal("last\n", File.ReadAllText(Path.Combine(b, "last.txt")));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(b, "file0.txt")));
        Assert.Equal(GitCli.Run(a, "rev-parse", "main"), GitCli.Run(b, "rev-parse", "main"));
    }

    [Fact]
    public async Task SyncCompactsOnceTheManifestReachesAnnexMaxGitBundles()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(a, store);
        await AddCloudAsync(b, store);
        GitCli.Run(a, "config", "remote.cloud.annex-max-git-bundles", "3");
        var everPushed = new HashSet<Key>();
        for (var i = 0; i < 6; i++)
        {
            File.WriteAllText(Path.Combine(a, $"file{i}.txt"), $"{i}\n");
            await SyncOkAsync(a);
            var uuidNow = CloudUuid(a);
            everPushed.UnionWith(Pushed(a, uuidNow));
            Assert.InRange(Manifest(store, uuidNow)!.Bundles.Count, 1, 3);
        }
        var uuid = CloudUuid(a);
        var listed = Manifest(store, uuid)!;
        Assert.Empty(listed.Obsolete);
        foreach (var key in everPushed.Where(k => !listed.Bundles.Contains(k)))
            Assert.False(File.Exists(ObjectPath(store, key)), $"{key} was compacted away but is still stored");
        Join(b, uuid);
        await SyncOkAsync(b);
        Assert.Equal("5\n", File.ReadAllText(Path.Combine(b, "file5.txt")));
        Assert.Equal(GitCli.Run(a, "ls-tree", "-r", "main"), GitCli.Run(b, "ls-tree", "-r", "main"));
    }
}
