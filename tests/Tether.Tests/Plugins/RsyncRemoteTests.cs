using Tether.Kernel.Plugins;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Plugins;

/// <summary>The rsync plugin on a local path: git-annex's rsync layout, serving content back, git-annex reading it, resume.</summary>
public class RsyncRemoteTests
{
    [Fact]
    public async Task ALocalRsyncRemoteReceivesAndServesContentInGitAnnexLayoutAndGitAnnexReadsIt()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests (it installs the apt package git-annex)");
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        var add = await CliRunner.RunAsync(a, "remote", "add", "store", store, "--backend", "rsync");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("(rsync, cost 200)", add.Out);
        Assert.DoesNotContain("store", GitCli.Run(a, "remote")); // content only: no git remote for git-annex to fetch from

        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big one.bin"), 3 << 20);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var key = Key.Parse(PluginTestFiles.KeyOf(Path.Combine(a, "big one.bin")));
        var stored = Path.Combine(store, HashDirs.Lower(key), KeyFileName.Escape(key), KeyFileName.Escape(key));
        Assert.True(File.Exists(stored), $"expected {stored}; sync said {sync}");
        Assert.Equal(content, File.ReadAllBytes(stored));
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "tether-tmp"))); // nothing half-sent left visible

        // Served back by Tether.
        var drop = await CliRunner.RunAsync(a, "drop", "big one.bin");
        Assert.True(drop.ExitCode == 0, drop.ToString());
        Assert.False(PluginTestFiles.HasContent(Path.Combine(a, "big one.bin")));
        var get = await CliRunner.RunAsync(a, "get", "big one.bin");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big one.bin")));

        // And read by git-annex itself: the remote is in remote.log under Tether's UUID, so enableremote finds it.
        Assert.Equal(0, (await CliRunner.RunAsync(a, "drop", "big one.bin")).ExitCode);
        var enable = GitCli.TryRun(a, "annex", "enableremote", "store");
        Assert.True(enable.ExitCode == 0, enable.Output);
        var whereis = GitCli.Run(a, "annex", "whereis", "big one.bin");
        Assert.Contains("store", whereis);
        var annexGet = GitCli.TryRun(a, "annex", "get", "big one.bin");
        Assert.True(annexGet.ExitCode == 0, annexGet.Output);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big one.bin")));
        var fsck = GitCli.TryRun(a, "annex", "fsck", "--from", "store", "big one.bin");
        Assert.True(fsck.ExitCode == 0, fsck.Output);
    }

    [Fact]
    public async Task AnInterruptedUploadResumesAndSendsOnlyTheRest()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("store");
        var source = dir.Combine("big.bin");
        var content = PluginTestFiles.WriteRandom(source, 8 << 20);
        var key = await KeyHasher.ComputeSha256EAsync(source);
        var factory = ShippedRsyncFactory();

        await using (var limited = factory.Create(new RemoteDescriptor("store", store, null, 1 << 20)))
        {
            using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limited.StoreAsync(key, source, new Progress<long>(), cut.Token));
        }
        var partial = Path.Combine(store, "tether-tmp", KeyFileName.Escape(key));
        var partialSize = new FileInfo(partial).Length;
        Assert.InRange(partialSize, 1, content.Length - 1);
        Assert.False(File.Exists(Path.Combine(store, HashDirs.Lower(key), KeyFileName.Escape(key), KeyFileName.Escape(key))), "a partial upload must never be visible as the key");

        await using var retry = factory.Create(new RemoteDescriptor("store", store, null, null));
        var reports = new List<long>();
        await retry.StoreAsync(key, source, new SyncProgress(reports), CancellationToken.None);
        var sent = (long?)retry.GetType().GetProperty("LastBytesSent")!.GetValue(retry);
        Assert.NotNull(sent);
        Assert.True(sent < content.Length - partialSize / 2, $"the retry sent {sent} bytes of {content.Length} ({partialSize} were already there)");
        Assert.True(await retry.HasKeyAsync(key, CancellationToken.None));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(store, HashDirs.Lower(key), KeyFileName.Escape(key), KeyFileName.Escape(key))));
        Assert.Equal(content.Length, reports.Max());
    }

    [Fact]
    public async Task TwoNodesStoringOneKeyAtOnceBothSucceedAndTheObjectIsOneOfTheirFilesWhole()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("store");
        var key = Kernel.ContentRemoteGit.GitRemoteAnnexKeys.Manifest(Guid.NewGuid().ToString()); // the key every node pushing git rewrites
        var sources = new[] { "a", "b" }.Select(node => dir.Combine($"{node}.bin")).ToList();
        var contents = sources.Select(file => PluginTestFiles.WriteRandom(file, 3 << 20)).ToList();
        var factory = ShippedRsyncFactory();
        // Two nodes at 1 MiB/s each: their uploads of the same key overlap for seconds.
        var nodes = sources.Select(_ => factory.Create(new RemoteDescriptor("store", store, null, 1 << 20) { LocalUuid = Guid.NewGuid().ToString() })).ToList();
        try
        {
            await Task.WhenAll(nodes.Zip(sources, (node, file) => node.StoreAsync(key, file, new Progress<long>(), CancellationToken.None)));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
        var stored = File.ReadAllBytes(Path.Combine(store, HashDirs.Lower(key), KeyFileName.Escape(key), KeyFileName.Escape(key)));
        Assert.True(contents.Any(c => c.AsSpan().SequenceEqual(stored)), $"the object ({stored.Length} bytes) is neither upload whole");
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "tether-tmp")));
    }

    [Fact]
    public async Task AMissingRsyncBinaryIsReportedWithThePackageToInstall()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "store", dir.Combine("store"), "--backend", "rsync")).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        // A PATH with git but no rsync, for the child tether only.
        var bin = dir.Combine("bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "git"), "/usr/bin/git");
        var (code, output) = await TetherProcess.RunAsync(a, TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["PATH"] = bin }, "sync");
        Assert.Equal(1, code);
        Assert.Contains("rsync is not installed: install it with 'apt-get install rsync'", output);
    }

    internal static IContentBackendFactory ShippedRsyncFactory()
    {
        var host = new PluginHost();
        host.LoadFolder(Path.Combine(PluginFolders.Shipped, "rsync"));
        Assert.Empty(host.Errors);
        return host.Plugins.Single().Backends.Single(b => b.Type == "rsync");
    }

    private sealed class SyncProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) { lock (reports) reports.Add(value); }
    }
}
