using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>kill -9 of `tether sync` (and of the rsync it runs) half-way through a bundle upload loses nothing.</summary>
public class BundleUploadKillTests
{
    [Fact]
    public async Task AKillDuringABundleUploadLosesNothingAndTheNextSyncCompletesForTheOtherNode()
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        // A slow remote (256 KiB/s) and a bundle of 6 MiB: the upload takes some 24 s, so it is caught in the middle.
        var add = await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync", "--git", "--bandwidth-limit", "256KiB/s");
        Assert.True(add.ExitCode == 0, add.ToString());
        var config = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("exclude: []", "exclude: [\"*.dat\"]")); // kept in git, so it travels in the bundle
        var history = PluginTestFiles.WriteRandom(Path.Combine(a, "history.dat"), 6 << 20); // random: git cannot compress it away
        File.WriteAllText(Path.Combine(a, "notes.txt"), "written on A\n");
        await JoinUrlAsync(a); // records the remote (as a first sync would), so its UUID is known before the sync
        var uuid = CloudUuid(a);

        using (var sync = TetherProcess.Start(a, "sync"))
        {
            var partial = Path.Combine(store, "tether-tmp");
            await Eventually.TrueAsync(() => Directory.Exists(partial) &&
                                             Directory.GetFiles(partial).Any(f => f.Contains("GITBUNDLE", StringComparison.Ordinal) && new FileInfo(f).Length > 256 << 10),
                TimeSpan.FromSeconds(60), () => $"no partial bundle in {partial}: {string.Join(", ", Listing(store))}\n{sync.Describe()}");
            Assert.False(sync.HasExited, sync.Describe());
            sync.KillTreeHard();
        }
        Assert.Null(Manifest(store, uuid)); // the bundle never got listed: nobody fetches half of it
        Assert.DoesNotContain(Listing(store), f => !f.StartsWith("tether-tmp/", StringComparison.Ordinal)); // only the partial: no key half-stored
        Assert.Equal(history, File.ReadAllBytes(Path.Combine(a, "history.dat")));

        File.WriteAllText(config, string.Join('\n', File.ReadAllLines(config).Where(l => !l.TrimStart().StartsWith("bandwidth_limit:", StringComparison.Ordinal))));
        await SyncOkAsync(a);
        var manifest = Manifest(store, uuid);
        Assert.NotNull(manifest);
        foreach (var bundle in manifest.Bundles) Assert.Equal(0, GitCli.TryRun(a, "bundle", "verify", ObjectPath(store, bundle)).ExitCode);

        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await JoinWithUrlAsync(b, await JoinUrlAsync(a));
        await SyncOkAsync(b);
        Assert.Equal(history, File.ReadAllBytes(Path.Combine(b, "history.dat")));
        Assert.Equal("written on A\n", File.ReadAllText(Path.Combine(b, "notes.txt")));
        Assert.Equal(GitCli.Run(a, "rev-parse", "main"), GitCli.Run(b, "rev-parse", "main"));
    }
}
