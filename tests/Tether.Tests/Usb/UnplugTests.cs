using System.Text.RegularExpressions;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Platform.Drives;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Usb;

/// <summary>
/// A drive pulled out (umount -l) in the middle of a large upload: the transfer fails cleanly (recorded as failed,
/// the partial only in the drive's annex/tmp, nothing written into the empty mount point), no corrupt object on
/// either side, and the next mount, elsewhere, resumes it from where it stopped (root only).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class UnplugTests
{
    private const long Size = 64L << 20;

    [MountFact(loop: true)]
    public async Task ADrivePulledOutMidUploadFailsCleanlyAndTheNextMountResumes()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Ext4(dir.Combine("drive.img"), 256, "UNPLUG");
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var first = drive.Mount(dir.Combine("m1"));
        var added = await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", first);
        Assert.True(added.ExitCode == 0, added.ToString());
        var driveUuid = DriveMarker.ReadRepositoryUuid(Path.Combine(first, "tether"))!;
        // 16 MiB/s: the 64 MiB upload takes about 4 s, long enough to pull the drive out in the middle.
        var config = Path.Combine(rig.Laptop, ".tether", "config.yml");
        File.WriteAllText(config, Regex.Replace(File.ReadAllText(config), @"^(\s+)drive:", "$1bandwidth_limit: 16MiB/s\n$1drive:", RegexOptions.Multiline));

        using var node = await WatchingNode.StartAsync(rig.Laptop);
        var key = await DriveTestRig.KeyOfAsync(rig.WriteRandom("movie.mkv", Size));
        var keyFile = KeyFileName.Escape(key);
        var partial = Path.Combine(first, "tether", "annex", "tmp", keyFile);
        await Eventually.TrueAsync(() => File.Exists(partial) && new FileInfo(partial).Length >= 8 << 20, TimeSpan.FromSeconds(30), node.Daemon.Describe);

        drive.Unmount(first, lazy: true);
        var failed = Path.Combine(rig.Laptop, ".git", "annex", "transfer", "failed", "upload", driveUuid, keyFile);
        await Eventually.TrueAsync(() => File.Exists(failed), TimeSpan.FromSeconds(10), node.Daemon.Describe);
        var failedAt = long.Parse(Regex.Match(File.ReadAllText(failed), @"^\S+s (\d+)\n").Groups[1].Value);
        Assert.InRange(failedAt, 1, Size - 1);
        // The failure record is written after the warning is logged, but the test reads the daemon's stdout through a pipe.
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("became unavailable (drive unmounted from"), TimeSpan.FromSeconds(10), node.Daemon.Describe);
        await Task.Delay(500);
        Assert.Empty(Directory.EnumerateFileSystemEntries(first)); // nothing was created in the empty mount point
        var local = new ObjectStore(AnnexRepository.Open(rig.Laptop)).FindContent(key);
        Assert.True(local is not null && await KeyHasher.VerifyAsync(key, local), "the local object is whole");

        // Plugged in again, elsewhere: the upload resumes from the partial (never below what had been sent) and completes.
        var info = Path.Combine(rig.Laptop, ".git", "annex", "transfer", "upload", driveUuid, keyFile);
        var seen = new List<long>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                try { if (Regex.Match(File.ReadAllText(info), @"^\S+s (\d+)\n") is { Success: true } m) lock (seen) seen.Add(long.Parse(m.Groups[1].Value)); }
                catch (IOException) { }
                await Task.Delay(10);
            }
        });
        var second = drive.Mount(dir.Combine("m2"));
        var secondRepo = Path.Combine(second, "tether");
        await Eventually.TrueAsync(() => DriveTestRig.DriveHasVerifiedAsync(secondRepo, key), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        await watching.CancelAsync();
        await watcher;
        lock (seen)
        {
            Assert.NotEmpty(seen);
            Assert.True(seen.Min() >= failedAt, $"the resumed upload started at {seen.Min()} bytes, below the {failedAt} sent before the unplug: it restarted");
        }
        await Eventually.TrueAsync(() => !File.Exists(failed), TimeSpan.FromSeconds(10), node.Daemon.Describe); // a success clears the failure
        Assert.False(File.Exists(Path.Combine(secondRepo, "annex", "tmp", keyFile)));
        Assert.DoesNotContain("did not verify", node.Daemon.Output);
        Assert.Equal(0, await node.StopAsync());

        var fsck = GitCli.TryRunTool("git", secondRepo, "annex", "fsck", "--quiet");
        Assert.True(fsck.ExitCode == 0, fsck.Output);
    }
}
