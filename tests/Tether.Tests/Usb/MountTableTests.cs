using Tether.Platform.Drives;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>Parsing recorded /proc/self/mountinfo texts (proc(5)): escapes, optional fields, the " - " separator.</summary>
public sealed class MountTableTests
{
    // Recorded on a Debian 12 machine with a USB stick (label "My Stick") automounted by udisks2, a loop image and a tmpfs.
    private const string Recorded = """
        22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        23 28 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw
        28 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
        95 28 259:1 / /boot/efi rw,relatime shared:46 - vfat /dev/nvme0n1p1 rw,fmask=0077,dmask=0077,codepage=437
        612 28 8:17 / /media/me/My\040Stick rw,nosuid,nodev,relatime shared:330 - vfat /dev/sdb1 rw,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,showexec,utf8,flush,errors=remount-ro
        640 28 7:3 / /mnt/tab\011and\134slash rw,relatime - ext4 /dev/loop3 rw
        641 28 0:55 / /tmp/tether\040test rw,relatime shared:400 master:12 propagate_from:3 - tmpfs tmpfs rw,size=65536k
        """;

    [Fact]
    public void ParsesEveryFieldAndUnescapesPaths()
    {
        var mounts = MountTable.Parse(Recorded);
        Assert.Equal(7, mounts.Count);
        var stick = mounts.Single(m => m.MountId == 612);
        Assert.Equal(("/media/me/My Stick", "vfat", "/dev/sdb1", 8, 17, 28), (stick.MountPoint, stick.FsType, stick.Source, stick.Major, stick.Minor, stick.ParentId));
        Assert.Equal("8:17", stick.Device);
        Assert.Equal(["shared:330"], stick.OptionalFields);
        Assert.StartsWith("rw,uid=1000", stick.SuperOptions);
        Assert.Equal("/mnt/tab\tand\\slash", mounts.Single(m => m.MountId == 640).MountPoint);
    }

    [Fact]
    public void OptionalFieldsMayBeNoneOrSeveral()
    {
        var mounts = MountTable.Parse(Recorded);
        Assert.Empty(mounts.Single(m => m.MountId == 640).OptionalFields);
        var tmpfs = mounts.Single(m => m.MountId == 641);
        Assert.Equal(["shared:400", "master:12", "propagate_from:3"], tmpfs.OptionalFields);
        Assert.Equal(("tmpfs", "tmpfs", "/tmp/tether test", "0:55"), (tmpfs.FsType, tmpfs.Source, tmpfs.MountPoint, tmpfs.Device));
    }

    [Fact]
    public void PseudoAndNetworkFilesystemsAreNeverDrives()
    {
        var mounts = MountTable.Parse(Recorded);
        Assert.Equal([22, 23], mounts.Where(m => m.IsPseudoOrNetwork).Select(m => m.MountId));
    }

    [Theory]
    [InlineData("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw", "expected 'ID PARENT")] // no separator
    [InlineData("x 35 98:0 /mnt1 /mnt2 rw,noatime - ext3 /dev/root rw", "must be numbers")]
    [InlineData("36 35 98 /mnt1 /mnt2 rw,noatime - ext3 /dev/root rw", "must be numbers")]
    public void ABadLineIsAnErrorNamingTheLine(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => MountTable.Parse("22 28 0:21 / /sys rw - sysfs sysfs rw\n" + line + "\n", "recorded.txt"));
        Assert.StartsWith("recorded.txt:2: not a mountinfo line", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TheLiveTableParses()
    {
        var mounts = MountTable.ReadCurrent();
        Assert.Contains(mounts, m => m.MountPoint == "/");
        Assert.Contains(mounts, m => m.FsType == "proc");
    }
}
