using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>
/// The usb trigger costs nothing while nothing is mounted or unmounted: its thread sleeps in poll(2) on
/// /proc/self/mountinfo. Measured on the thread's voluntary context switches, with the daemon in a mount namespace of
/// its own (so other processes' mounts on this machine do not count), and an unknown mount is looked at and ignored (root only).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class MountWatcherWakeupTests
{
    [MountFact]
    public async Task NoWakeUpsWhileNothingChangesOneLookPerMountAndUnknownMountsAreIgnored()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Tmpfs();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var mounted = drive.Mount(dir.Combine("m1"));
        Assert.Equal(0, (await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", mounted)).ExitCode);

        using var daemon = TetherProcess.StartUnder(["unshare", "--mount", "--propagation", "private"], rig.Laptop, null, "watch", "--verbose");
        await Eventually.TrueAsync(() => daemon.Output.Contains("usb is available at"), TimeSpan.FromSeconds(30), daemon.Describe);
        await Task.Delay(1000); // let the first sync settle
        var thread = WatcherThread(daemon.Id);
        var before = Switches(thread);
        await Task.Delay(3000);
        Assert.Equal(before, Switches(thread)); // three idle seconds: not one wake-up

        // A mount the daemon's namespace sees, of no known drive: one look, a debug line, nothing else.
        var unknown = Directory.CreateDirectory(dir.Combine("stranger")).FullName;
        MountSupport.MustRun("nsenter", "--target", daemon.Id.ToString(), "--mount", "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", unknown);
        await Eventually.TrueAsync(() => daemon.Output.Contains($"mount {unknown} (tmpfs tmpfs) is not a known drive; ignored"), TimeSpan.FromSeconds(10), daemon.Describe);
        var afterMount = Switches(thread);
        Assert.InRange(afterMount - before, 1, 3);

        // The drive unmounted in the daemon's namespace: seen at once.
        MountSupport.MustRun("nsenter", "--target", daemon.Id.ToString(), "--mount", "umount", mounted);
        await Eventually.TrueAsync(() => daemon.Output.Contains($"usb is unavailable: drive unmounted from {mounted}"), TimeSpan.FromSeconds(10), daemon.Describe);
        await Eventually.TrueAsync(() => rig.HookLines().Any(l => l.StartsWith("remote-disconnected usb ", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), daemon.Describe);
        daemon.Terminate();
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, daemon.ExitCode);
    }

    private static string WatcherThread(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").FirstOrDefault(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "tether-mountinf")
            ?? throw new InvalidOperationException($"no tether-mountinfo thread in process {pid}");

    private static long Switches(string thread) =>
        long.Parse(File.ReadLines(Path.Combine(thread, "status")).First(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)).Split(':')[1].Trim());
}
