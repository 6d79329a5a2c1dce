using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// A local remote's object store (or a drive's: anyone can write a USB stick) holding something other than a regular
/// file of the key's size at a key's path: a symlink (to /dev/zero, to a file elsewhere), a symlinked folder on the way,
/// a FIFO, a folder, a file larger than the key. Tether reads none of it: `get` and `sync` finish within a bound with a
/// message naming the key, the remote and what is there; nothing enters our object store.
/// </summary>
public sealed class HostileObjectStoreTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // The bare cases read the other layout (a drive's repository is bare).
    public static TheoryData<string, bool, string> Plantings => new()
    {
        { "symlink to /dev/zero", false, "is a symbolic link; not followed" },
        { "symlink to /dev/zero", true, "is a symbolic link; not followed" },
        { "symlink to a copy of the content elsewhere", false, "is a symbolic link; not followed" },
        { "symlinked parent folder", false, "is a symbolic link; not followed" },
        { "symlinked parent folder", true, "is a symbolic link; not followed" },
        { "FIFO", false, "is a named pipe (FIFO), not a regular file" },
        { "folder", false, "is a folder, not a regular file" },
        { "larger than the key", true, "bytes, but the key says" },
    };

    [Theory]
    [MemberData(nameof(Plantings))]
    public async Task SyncAndGetRefuseAnythingButARegularFileOfTheKeysSizeInAPeersStore(string planting, bool bare, string reason)
    {
        {
            using var dir = new TempFolder();
            var (b, key) = await NodeWithHostileRemoteAsync(dir, bare, planting);

            var sync = await TetherProcess.RunAsync(b, Bound, "sync");
            Assert.True(sync.ExitCode != 0, $"{planting} (bare: {bare}): {sync.Output}");
            Assert.Contains($"the object of {key} in a (", sync.Output);
            Assert.Contains(reason, sync.Output);
            AssertNothingReceived(b, key);

            var get = await TetherProcess.RunAsync(b, Bound, "get", "f.bin");
            Assert.True(get.ExitCode != 0, $"{planting} (bare: {bare}): {get.Output}");
            Assert.Contains(reason, get.Output);
            AssertNothingReceived(b, key);
        }
    }

    [RootFact]
    public async Task ALinkToARootOnlyFileIsNeverCopiedInAndAnObjectAlwaysGetsOurMode()
    {
        using var dir = new TempFolder();
        var (b, key) = await NodeWithHostileRemoteAsync(dir, bare: false, "symlink to a root-only file");

        var sync = await TetherProcess.RunAsync(b, Bound, "sync");
        Assert.Contains($"the object of {key} in a (", sync.Output);
        AssertNothingReceived(b, key);

        // A real object of the remote's, 0600 and owned by someone else, arrives with our own mode and owner.
        var source = ObjectPath(dir.Combine("a"), key);
        Restore(source, File.ReadAllBytes(dir.Combine("secret")));
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Unprivileged.Run("chown", $"{Unprivileged.Uid}:{Unprivileged.Uid}", source);
        var get = await TetherProcess.RunAsync(b, Bound, "get", "f.bin");
        Assert.True(get.ExitCode == 0, get.Output);
        var installed = new ObjectStore(AnnexRepository.Open(b)).FindContent(key)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(installed));
        Assert.Equal("0", GitCli.TryRunTool("stat", "/", "-c", "%u", installed).Output.Trim());
    }

    [Fact]
    public async Task ADaemonTryingAFifoInAPeersStoreStopsWithinABound()
    {
        using var dir = new TempFolder();
        var (b, key) = await NodeWithHostileRemoteAsync(dir, bare: false, "FIFO");
        using var node = await WatchingNode.StartAsync(b);
        // Tried: a transfer record (where the download was attempted and blocked) or the refusal in the log.
        await Eventually.TrueAsync(() => Task.FromResult(TriedToDownload(b, key) || node.Daemon.Output.Contains($"the object of {key}")), Bound, () => node.Daemon.Output);

        var stop = await CliRunner.RunAsync(b, "stop").WaitAsync(Bound);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await node.Daemon.WaitForExitAsync(TimeSpan.FromSeconds(20));
        AssertNothingReceived(b, key);
    }

    [Fact]
    public async Task TheShellNeitherHasNorServesALinkPlantedInItsOwnStore()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        PluginTestFiles.WriteRandom(dir.Combine("elsewhere.bin"), 10_000);
        var key = await KeyHasher.ComputeSha256EAsync(dir.Combine("elsewhere.bin"));
        var planted = ObjectPath(repo.WorkTree!, key);
        Directory.CreateDirectory(Path.GetDirectoryName(planted)!);
        File.CreateSymbolicLink(planted, dir.Combine("elsewhere.bin"));

        var input = new MemoryStream(Encoding.UTF8.GetBytes($"HAVE {key}\nRETRIEVE {key} 0\nQUIT\n"));
        var output = new MemoryStream();
        await new ShellServer(repo, null, input, output, TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal($"{ShellServer.Greeting}\nOK 0\nERROR {repo.DisplayPath} does not have {key}\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData("symlink to a copy of the content elsewhere", "is a symbolic link, not a regular file")]
    [InlineData("symlinked parent folder", "a symbolic link; not followed")]
    [InlineData("FIFO", "is a named pipe (FIFO), not a regular file")]
    [InlineData("larger than the key", "bytes, but the key says")]
    public async Task AnRsyncRemoteCountsAndServesOnlyARegularFileOfTheKeysSize(string planting, string reason)
    {
        using var dir = new TempFolder();
        var (store, source, destination) = (dir.Combine("store"), dir.Combine("f.bin"), dir.Combine("got.bin"));
        var content = PluginTestFiles.WriteRandom(source, 100_000);
        var key = await KeyHasher.ComputeSha256EAsync(source);
        await using var rsync = Plugins.RsyncRemoteTests.ShippedRsyncFactory().Create(new RemoteDescriptor("store", store, null, null));
        await rsync.StoreAsync(key, source, new Progress<long>(), CancellationToken.None);
        var keyFile = KeyFileName.Escape(key);
        Plant(dir, Path.Combine(store, HashDirs.Lower(key), keyFile, keyFile), planting, content);

        Assert.False(await rsync.HasKeyAsync(key, CancellationToken.None).WaitAsync(Bound));
        var refused = await Assert.ThrowsAsync<IOException>(() => rsync.RetrieveAsync(key, destination, new Progress<long>(), CancellationToken.None).WaitAsync(Bound));
        Assert.Contains($"store ({store})", refused.Message);
        Assert.Contains(key.ToString(), refused.Message);
        Assert.Contains(reason, refused.Message);
        Assert.False(File.Exists(destination) && new FileInfo(destination).Length > key.Size);
    }

    /// <summary>Repository a holds f.bin (annexed), then its object is replaced by <paramref name="planting"/>; b has a as its remote.</summary>
    internal static async Task<(string B, Key Key)> NodeWithHostileRemoteAsync(TempFolder dir, bool bare, string planting)
    {
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "f.bin"), 2 << 20);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        var key = Key.Parse(PluginTestFiles.KeyOf(Path.Combine(a, "f.bin")));
        if (bare)
        {
            GitCli.Run(dir.Path, "clone", "--bare", "-q", a, dir.Combine("a.git"));
            Assert.Equal(0, GitCli.TryRun(dir.Combine("a.git"), "annex", "init", "bare").ExitCode);
            Directory.CreateDirectory(Path.GetDirectoryName(ObjectPath(dir.Combine("a.git"), key))!);
            File.Copy(ObjectPath(a, key), ObjectPath(dir.Combine("a.git"), key));
            a = dir.Combine("a.git");
        }
        Plant(dir, ObjectPath(a, key), planting, content);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "b")).ExitCode);
        var add = await CliRunner.RunAsync(b, "remote", "add", "a", a);
        Assert.True(add.ExitCode == 0, add.ToString());
        return (b, key);
    }

    private static void Plant(TempFolder dir, string objectPath, string planting, byte[] content)
    {
        var keyDir = Path.GetDirectoryName(objectPath)!;
        File.SetUnixFileMode(keyDir, File.GetUnixFileMode(keyDir) | UnixFileMode.UserWrite);
        File.Delete(objectPath);
        switch (planting)
        {
            case "symlink to /dev/zero": File.CreateSymbolicLink(objectPath, "/dev/zero"); break;
            case "symlink to a copy of the content elsewhere":
                File.WriteAllBytes(dir.Combine("elsewhere.bin"), content);
                File.CreateSymbolicLink(objectPath, dir.Combine("elsewhere.bin"));
                break;
            case "symlink to a root-only file":
                File.WriteAllBytes(dir.Combine("secret"), content);
                File.SetUnixFileMode(dir.Combine("secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.CreateSymbolicLink(objectPath, dir.Combine("secret"));
                break;
            case "symlinked parent folder":
                File.WriteAllBytes(objectPath, content);
                Directory.Move(keyDir, dir.Combine("elsewhere-keydir"));
                Directory.CreateSymbolicLink(keyDir, dir.Combine("elsewhere-keydir"));
                break;
            case "FIFO": Unprivileged.Run("mkfifo", objectPath); break;
            case "folder": Directory.CreateDirectory(objectPath); break;
            case "larger than the key": File.WriteAllBytes(objectPath, [.. content, .. new byte[1 << 20]]); break;
            default: throw new ArgumentException(planting);
        }
    }

    private static void Restore(string objectPath, byte[] content)
    {
        File.Delete(objectPath);
        File.WriteAllBytes(objectPath, content);
    }

    internal static string ObjectPath(string repoPath, Key key)
    {
        var repo = AnnexRepository.Open(repoPath);
        var keyFile = KeyFileName.Escape(key);
        return Path.Combine(repo.ObjectsDir, repo.IsBare ? HashDirs.Lower(key) : HashDirs.Mixed(key), keyFile, keyFile);
    }

    private static bool TriedToDownload(string repoPath, Key key)
    {
        var transfers = Path.Combine(repoPath, ".git", "annex", "transfer");
        return Directory.Exists(transfers) && Directory.EnumerateFiles(transfers, "*" + KeyFileName.Escape(key), SearchOption.AllDirectories).Any();
    }

    /// <summary>No object for the key in either layout, and nothing larger than the key left in annex/tmp.</summary>
    private static void AssertNothingReceived(string repoPath, Key key)
    {
        var repo = AnnexRepository.Open(repoPath);
        var keyFile = KeyFileName.Escape(key);
        foreach (var dirs in new[] { HashDirs.Mixed(key), HashDirs.Lower(key) })
            Assert.False(Path.Exists(Path.Combine(repo.ObjectsDir, dirs, keyFile, keyFile)), $"an object for {key} was installed");
        if (Directory.Exists(repo.TmpDir))
            Assert.DoesNotContain(Directory.GetFiles(repo.TmpDir), f => new FileInfo(f).Length > key.Size);
        Assert.False(PluginTestFiles.HasContent(Path.Combine(repoPath, "f.bin")));
    }
}
