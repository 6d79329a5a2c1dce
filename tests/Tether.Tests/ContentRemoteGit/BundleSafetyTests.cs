using System.Security.Cryptography;
using Tether.Kernel.ContentRemoteGit;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>What a content remote's bundles may not do to a node that fetches them: each refusal names the key and changes no ref.</summary>
public class BundleSafetyTests
{
    private sealed record Pair(TempFolder Dir, string A, string B, string Store, string Uuid);

    /// <summary>A has synced with the cloud remote; B has joined it (knows its UUID) but not synced yet.</summary>
    private static async Task<Pair> SetUpAsync(TempFolder dir)
    {
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(a, store);
        await AddCloudAsync(b, store);
        File.WriteAllText(Path.Combine(a, "first.txt"), "first\n");
        await SyncOkAsync(a);
        var uuid = CloudUuid(a);
        Join(b, uuid);
        return new Pair(dir, a, b, store, uuid);
    }

    private static string RemoteRefs(string node) =>
        string.Join("\n", Refs(node).Split('\n').Where(l => l.StartsWith("refs/remotes/") || l.StartsWith("refs/heads/main ") || l.StartsWith("refs/heads/synced/main ")));

    /// <summary>Adds a line to the manifest and its backup on the remote, as a hostile or broken remote would.</summary>
    private static void AppendToManifest(Pair p, Key bundle)
    {
        foreach (var key in new[] { GitRemoteAnnexKeys.Manifest(p.Uuid), GitRemoteAnnexKeys.BackupManifest(p.Uuid) })
        {
            var file = ObjectPath(p.Store, key);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.AppendAllText(file, bundle + "\n");
        }
    }

    /// <summary>Stores a file under a key in the rsync layout, as another (hostile) writer would.</summary>
    private static void StoreObject(Pair p, Key key, string source)
    {
        var target = ObjectPath(p.Store, key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    private static Key BundleKeyOf(string uuid, string file) =>
        GitRemoteAnnexKeys.Bundle(uuid, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), new FileInfo(file).Length);

    [Fact]
    public async Task ACorruptBundleIsRefusedNamingItsKeyAndChangesNoRef()
    {
        using var dir = new TempFolder();
        var p = await SetUpAsync(dir);
        await SyncOkAsync(p.B);
        File.WriteAllText(Path.Combine(p.A, "second.txt"), "second\n");
        await SyncOkAsync(p.A);
        var fetchedByB = File.ReadAllLines(Path.Combine(p.B, ".git", "tether", "content-remote-git", p.Uuid, "fetched")).Select(Key.Parse).ToHashSet();
        var fresh = Manifest(p.Store, p.Uuid)!.Bundles.First(k => !fetchedByB.Contains(k));
        var file = ObjectPath(p.Store, fresh);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x55; // same size, one byte changed: only the checksum can tell
        File.WriteAllBytes(file, bytes);
        var before = RemoteRefs(p.B);

        var sync = await SyncAsync(p.B);
        var said = sync.Out + sync.Error;
        Assert.Contains(fresh.ToString(), said);
        Assert.Contains("corrupt", said);
        Assert.Equal(before, RemoteRefs(p.B));
        Assert.False(File.Exists(Path.Combine(p.B, "second.txt")));
    }

    [Fact]
    public async Task AnOversizedBundleIsRefusedBeforeItIsDownloadedAndNoRefOfTheGoodOnesIsWritten()
    {
        using var dir = new TempFolder();
        var p = await SetUpAsync(dir);
        var huge = GitRemoteAnnexKeys.Bundle(p.Uuid, new string('a', 64), 1L << 40);
        AppendToManifest(p, huge);

        var sync = await SyncAsync(p.B);
        var said = sync.Out + sync.Error;
        Assert.Contains(huge.ToString(), said);
        Assert.Contains("more than", said);
        Assert.Equal("", RemoteRefs(p.B)); // the manifest's good bundles came first: none of their refs was written either
        Assert.False(File.Exists(Path.Combine(p.B, "first.txt")));
    }

    [Fact]
    public async Task ABundleNamingARefOutsideTheBranchesIsRefusedAndWritesNoRef()
    {
        using var dir = new TempFolder();
        var p = await SetUpAsync(dir);
        GitCli.Run(p.A, "update-ref", "refs/hostile/x", "HEAD");
        var bundleFile = dir.Combine("hostile.bundle");
        GitCli.Run(p.A, "bundle", "create", "-q", bundleFile, "refs/hostile/x");
        var key = BundleKeyOf(p.Uuid, bundleFile);
        StoreObject(p, key, bundleFile);
        AppendToManifest(p, key);

        var sync = await SyncAsync(p.B);
        var said = sync.Out + sync.Error;
        Assert.Contains(key.ToString(), said);
        Assert.Contains("not a branch", said);
        Assert.DoesNotContain("refs/hostile", Refs(p.B));
        Assert.Equal("", RemoteRefs(p.B));
    }

    [Fact]
    public async Task AManifestNamingAMissingBundleIsAClearErrorNamingIt()
    {
        using var dir = new TempFolder();
        var p = await SetUpAsync(dir);
        var missing = GitRemoteAnnexKeys.Bundle(p.Uuid, new string('b', 64), 1234);
        AppendToManifest(p, missing);

        var sync = await SyncAsync(p.B);
        var said = sync.Out + sync.Error;
        Assert.Contains(missing.ToString(), said);
        Assert.Contains("does not have it", said);
        Assert.Equal("", RemoteRefs(p.B));
    }
}
