using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>The usb trigger listens to udisks2 where a system bus has it (here a private bus and a stand-in udisks2), and goes on without one.</summary>
[Collection(nameof(RunsAlone))]
public sealed class UdisksSignalTests
{
    [MountFact]
    public async Task AUdisksAnnouncementMakesTheTriggerLookAgain()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Tmpfs();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", drive.Mount(dir.Combine("m1")))).ExitCode);
        await using var udisks = await FakeUdisks.StartAsync(dir.Path);

        using var daemon = TetherProcess.Start(rig.Laptop, new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = udisks.Address }, "watch", "--verbose");
        await Eventually.TrueAsync(() => daemon.Output.Contains("listening to udisks2 signals on the system bus"), TimeSpan.FromSeconds(30), daemon.Describe);
        await Eventually.TrueAsync(() => udisks.Listeners > 0, TimeSpan.FromSeconds(10), daemon.Describe);
        udisks.AnnounceBlockDevice("sdz");
        await Eventually.TrueAsync(() => daemon.Output.Contains("udisks2: /org/freedesktop/UDisks2/block_devices/sdz appeared; reading the mount table again"),
            TimeSpan.FromSeconds(10), daemon.Describe);
        Assert.Contains("usb is available at", daemon.Output);
        daemon.Terminate();
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, daemon.ExitCode);
    }

    [MountFact]
    public async Task WithoutASystemBusTheTriggerSaysSoAtDebugLevelAndWatchesMountinfo()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Tmpfs();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var mounted = drive.Mount(dir.Combine("m1"));
        Assert.Equal(0, (await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", mounted)).ExitCode);
        var nowhere = $"unix:path={dir.Combine("no-bus-here")}";
        using var daemon = TetherProcess.Start(rig.Laptop, new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = nowhere }, "watch", "--verbose");
        await Eventually.TrueAsync(() => daemon.Output.Contains("usb is available at"), TimeSpan.FromSeconds(30), daemon.Describe);
        await Eventually.TrueAsync(() => daemon.Output.Contains("udisks2 signals unavailable"), TimeSpan.FromSeconds(10), daemon.Describe);
        Assert.Matches(@"dbug: trigger\.usb\[0\] udisks2 signals unavailable \(", daemon.Output);
        drive.Unmount(mounted);
        await Eventually.TrueAsync(() => daemon.Output.Contains("usb is unavailable"), TimeSpan.FromSeconds(10), daemon.Describe);
        daemon.Terminate();
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }
}
