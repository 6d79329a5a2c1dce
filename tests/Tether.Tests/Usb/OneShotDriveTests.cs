using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>`tether sync` finds a drive wherever it is mounted now, and skips it with a clear word when it is not (root only).</summary>
[Collection(nameof(RunsAlone))]
public sealed class OneShotDriveTests
{
    [MountFact]
    public async Task SyncFindsTheDriveAtItsNewPathAndSkipsItWhenUnmounted()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Tmpfs();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var first = drive.Mount(dir.Combine("m1"));
        Assert.Equal(0, (await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", first)).ExitCode);
        var moved = drive.Move(first, dir.Combine("m2"));
        rig.Write("notes.txt", "one shot\n");
        var key = await DriveTestRig.KeyOfAsync(rig.WriteRandom("photo.jpg", 2 << 20));

        var list = await CliRunner.RunAsync(rig.Laptop, "drive", "list");
        Assert.Contains($"usb\t{moved}/tether\t", list.Out);
        var sync = await CliRunner.RunAsync(rig.Laptop, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var repo = Path.Combine(moved, "tether");
        Assert.True(DriveTestRig.DriveBranchHas(repo, "notes.txt"), sync.ToString());
        Assert.True(await DriveTestRig.DriveHasVerifiedAsync(repo, key), sync.ToString());

        drive.Unmount(moved);
        Assert.Contains("usb\tnot mounted", (await CliRunner.RunAsync(rig.Laptop, "drive", "list")).Out);
        var away = await CliRunner.RunAsync(rig.Laptop, "sync");
        Assert.True(away.ExitCode == 0, away.ToString());
        Assert.Contains("drive usb is not mounted; skipped", away.Error);
    }
}
