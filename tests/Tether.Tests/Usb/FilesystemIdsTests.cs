using Tether.Platform.Drives;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>Reading a mount's filesystem UUID and label: udev's /dev/disk links (a fake tree here), blkid's export format, and udev's escapes.</summary>
public sealed class FilesystemIdsTests
{
    [Fact]
    public async Task TheDeviceOfTheMountIsFoundInByUuidAndByLabel()
    {
        using var dir = new TempFolder();
        var disk = dir.Combine("disk");
        var sys = dir.Combine("sys");
        Directory.CreateDirectory(Path.Combine(disk, "by-uuid"));
        Directory.CreateDirectory(Path.Combine(disk, "by-label"));
        Directory.CreateDirectory(sys);
        File.CreateSymbolicLink(Path.Combine(disk, "by-uuid", "1234-ABCD"), "../../sdb1");
        File.CreateSymbolicLink(Path.Combine(disk, "by-uuid", "0000-1111"), "../../sda1");
        File.CreateSymbolicLink(Path.Combine(disk, "by-label", @"My\x20Stick"), "../../sdb1");
        File.CreateSymbolicLink(Path.Combine(sys, "8:17"), "../../devices/pci0000:00/usb2/2-1/host6/block/sdb/sdb1");
        var ids = new FilesystemIds(disk, sys, dir.Combine("dev"));
        var stick = MountTable.Parse(@"612 28 8:17 / /media/me/My\040Stick rw - vfat /dev/sdb1 rw")[0];
        Assert.Equal(new FilesystemId("1234-ABCD", "My Stick"), await ids.LookupAsync(stick, CancellationToken.None));
        var tmpfs = MountTable.Parse("641 28 0:55 / /tmp/x rw - tmpfs tmpfs rw")[0];
        Assert.Equal(FilesystemId.None, await ids.LookupAsync(tmpfs, CancellationToken.None));
    }

    [Fact]
    public void BlkidExportIsParsedWithItsEscapes()
    {
        var id = FilesystemIds.ParseBlkidExport("DEVNAME=/dev/loop0\nLABEL=Back\\ up\\$\nUUID=448f5d42-185f-4791-9b7e-dbd9237ba930\nBLOCK_SIZE=1024\nTYPE=ext4\n");
        Assert.Equal(new FilesystemId("448f5d42-185f-4791-9b7e-dbd9237ba930", "Back up$"), id);
        Assert.Equal(FilesystemId.None, FilesystemIds.ParseBlkidExport("DEVNAME=/dev/loop0\nTYPE=tmpfs\n"));
    }

    [Theory]
    [InlineData(@"My\x20Stick", "My Stick")]
    [InlineData(@"a\x2fb", "a/b")]
    [InlineData(@"plain", "plain")]
    [InlineData(@"trailing\x2", @"trailing\x2")]
    public void UdevEscapesAreDecoded(string name, string expected) => Assert.Equal(expected, FilesystemIds.UnescapeUdev(name));
}
