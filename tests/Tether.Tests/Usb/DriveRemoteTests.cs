using Tether.Kernel.Control;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>
/// A drive remote with the real daemon and real mounts (root only; skipped with the reason otherwise): recognised
/// wherever it is mounted, git and content synced to it, hooks told; unmounted, it is left alone.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class DriveRemoteTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [MountFact]
    public async Task ATmpfsMountedWhileWatchingIsAddedSyncedAndFollowedToItsNewPath()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Tmpfs();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        using var node = await WatchingNode.StartAsync(rig.Laptop);
        rig.Write("notes.txt", "before the drive\n");
        var big = await DriveTestRig.KeyOfAsync(rig.WriteRandom("photo.jpg", 3 << 20));

        var first = drive.Mount(dir.Combine("m1"));
        var added = await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", first);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("daemon: reloaded", added.Out);
        var onDrive = Path.Combine(first, "tether");
        await Eventually.TrueAsync(async () => DriveTestRig.DriveBranchHas(onDrive, "notes.txt") && DriveTestRig.DriveBranchHas(onDrive, "photo.jpg")
            && await DriveTestRig.DriveHasVerifiedAsync(onDrive, big), Patience, node.Daemon.Describe);
        await Eventually.TrueAsync(() => rig.HookLines().Any(l => l.StartsWith("remote-connected usb ", StringComparison.Ordinal)), Patience, node.Daemon.Describe);
        Assert.Contains($"drive mounted at {first}", Assert.Single(rig.HookLines(), l => l.StartsWith("remote-connected usb ", StringComparison.Ordinal)));

        // The same filesystem at another path (with a space): recognised there; git and content follow.
        var moved = drive.Move(first, dir.Combine("moved drive"));
        rig.Write("later.txt", "after the move\n");
        var big2 = await DriveTestRig.KeyOfAsync(rig.WriteRandom("video.mp4", 2 << 20));
        var movedRepo = Path.Combine(moved, "tether");
        await Eventually.TrueAsync(async () => DriveTestRig.DriveBranchHas(movedRepo, "later.txt") && await DriveTestRig.DriveHasVerifiedAsync(movedRepo, big2),
            Patience, node.Daemon.Describe);
        Assert.Equal(movedRepo, rig.GitRemoteUrl("usb"));
        await Eventually.TrueAsync(() => rig.HookLines().Count(l => l.StartsWith("remote-connected usb ", StringComparison.Ordinal)) == 2, Patience, node.Daemon.Describe);
        Assert.Contains($"drive mounted at {moved}", rig.HookLines().Last());

        // Unmounted: remote-disconnected, and no failing pushes to a drive that is not there.
        drive.Unmount(moved);
        await Eventually.TrueAsync(() => rig.HookLines().Any(l => l.StartsWith("remote-disconnected usb ", StringComparison.Ordinal)), Patience, node.Daemon.Describe);
        rig.Write("while-away.txt", "the drive is out\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(rig.Laptop, "HEAD").Contains("while-away.txt"), Patience, node.Daemon.Describe);
        await Task.Delay(1000);
        var poke = await node.QueryAsync(ControlCommand.Poke, "usb");
        Assert.False(poke!.Ok);
        Assert.Contains("usb is unavailable: drive unmounted from", poke.Message);
        Assert.DoesNotContain("usb: push failed", node.Daemon.Output);
        Assert.DoesNotContain("\"push\":{\"ok\":false", File.ReadAllText(rig.HookLog));
        Assert.Equal(0, await node.StopAsync());
    }

    [MountFact(loop: true)]
    public async Task AnExt4DriveIsRecognisedByItsFilesystemWhereverItIsMountedAndAStaleLockIsRepaired()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Ext4(dir.Combine("drive.img"), 64, "TETHERTEST");
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var prepared = drive.Mount(dir.Combine("m0"));
        var added = await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", prepared, "--folder", "sync/laptop");
        Assert.True(added.ExitCode == 0, added.ToString());
        var config = File.ReadAllText(Path.Combine(rig.Laptop, ".tether", "config.yml"));
        var fsUuid = MountSupport.MustRun("blkid", "-o", "value", "-s", "UUID", drive.Device!).Trim();
        Assert.Contains($"drive: {{folder: sync/laptop, uuid: ", config);
        Assert.Contains($"fs_uuid: {fsUuid}, label: TETHERTEST}}", config);
        drive.Unmount(prepared);

        using var node = await WatchingNode.StartAsync(rig.Laptop);
        rig.Write("notes.txt", "written while the drive is out\n");
        var big = await DriveTestRig.KeyOfAsync(rig.WriteRandom("photo.jpg", 3 << 20));
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(rig.Laptop, "HEAD").Contains("photo.jpg"), Patience, node.Daemon.Describe);
        var status = await CliRunner.RunAsync(rig.Laptop, "status");
        Assert.Contains("remote usb:\n  unavailable: not seen yet (drive not mounted)", status.Out.ReplaceLineEndings("\n"));

        var first = drive.Mount(dir.Combine("m1"));
        var onDrive = Path.Combine(first, "sync", "laptop");
        await Eventually.TrueAsync(async () => DriveTestRig.DriveBranchHas(onDrive, "photo.jpg") && await DriveTestRig.DriveHasVerifiedAsync(onDrive, big),
            Patience, node.Daemon.Describe);
        Assert.Contains($"usb is available at {onDrive}: drive mounted at {first} (found by filesystem uuid)", node.Daemon.Output);
        await Eventually.TrueAsync(() => rig.HookLines().Any(l => l.StartsWith("remote-connected usb ", StringComparison.Ordinal)), Patience, node.Daemon.Describe);

        // Pulled out mid-push, say: a ref lock nobody will ever release. The next plug must clear it and complete the push.
        var staleLock = Path.Combine(onDrive, "refs", "heads", "synced", "main.lock");
        File.WriteAllText(staleLock, "");
        File.SetLastWriteTimeUtc(staleLock, DateTime.UtcNow.AddMinutes(-5));
        drive.Unmount(first);
        await Eventually.TrueAsync(() => rig.HookLines().Any(l => l.StartsWith("remote-disconnected usb ", StringComparison.Ordinal)), Patience, node.Daemon.Describe);
        rig.Write("later.txt", "while unplugged\n");
        var big2 = await DriveTestRig.KeyOfAsync(rig.WriteRandom("video.mp4", 2 << 20));

        var second = drive.Mount(dir.Combine("second place"));
        var secondRepo = Path.Combine(second, "sync", "laptop");
        await Eventually.TrueAsync(async () => DriveTestRig.DriveBranchHas(secondRepo, "later.txt") && await DriveTestRig.DriveHasVerifiedAsync(secondRepo, big2),
            Patience, node.Daemon.Describe);
        Assert.False(File.Exists(Path.Combine(secondRepo, "refs", "heads", "synced", "main.lock")));
        Assert.Equal(secondRepo, rig.GitRemoteUrl("usb"));
        await Eventually.TrueAsync(() => rig.HookLines().Count(l => l.StartsWith("remote-connected usb ", StringComparison.Ordinal)) == 2, Patience, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());

        // git-annex, as the oracle, sees the drive's content as whole and where Tether says it is.
        var fsck = GitCli.TryRunTool("git", secondRepo, "annex", "fsck", "--quiet");
        Assert.True(fsck.ExitCode == 0, fsck.Output);
        Assert.Contains("usb", GitCli.Run(rig.Laptop, "annex", "whereis", "video.mp4"));
    }
}
