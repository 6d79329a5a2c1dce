using Tether.Platform.Drives;
using Tether.Sdk.Triggers;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>Which mount is which drive, on recorded mount tables: the repository uuid decides, filesystem uuid and label set the order.</summary>
public sealed class DriveLocatorTests
{
    private const string Uuid = "96b1bc42-8fcd-4e88-a4e4-9bd73a627b8e";
    private const string Other = "0cd53b5e-7ad8-4f5c-9f1e-3c2d1f2b7a10";

    private static readonly DriveIdentity Backup = new("tether", Uuid) { FsUuid = "1234-ABCD", Label = "BACKUP" };

    private static DriveLocator Locator(Dictionary<int, FilesystemId> ids, Dictionary<string, string> repositories) =>
        new((m, _) => Task.FromResult(ids.GetValueOrDefault(m.MountId) ?? FilesystemId.None), path => repositories.GetValueOrDefault(path));

    [Fact]
    public async Task TheDriveIsFoundWhereverItIsMountedBecauseItsRepositoryIsThere()
    {
        var mounts = MountTable.Parse("""
            28 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
            612 28 8:17 / /media/me/BACKUP1 rw,nosuid shared:330 - vfat /dev/sdb1 rw
            """);
        var ids = new Dictionary<int, FilesystemId> { [612] = new("1234-ABCD", "BACKUP") };
        var (found, mismatches) = await Locator(ids, new() { ["/media/me/BACKUP1/tether"] = Uuid }).LocateAsync([("usb", Backup)], mounts, CancellationToken.None);
        var location = Assert.Single(found);
        Assert.Equal(("usb", "/media/me/BACKUP1/tether", "filesystem uuid", 612), (location.Remote, location.RepositoryPath, location.MatchedBy, location.Mount.MountId));
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task ATmpfsOrAFilesystemWithoutUuidIsFoundByItsRepositoryAlone()
    {
        var mounts = MountTable.Parse("""
            23 28 0:22 / /proc rw,nosuid - proc proc rw
            641 28 0:55 / /tmp/tether\040drive rw,relatime shared:400 - tmpfs tmpfs rw,size=65536k
            """);
        var repositories = new Dictionary<string, string> { ["/tmp/tether drive/tether"] = Uuid, ["/proc/tether"] = Uuid };
        var (found, _) = await Locator([], repositories).LocateAsync([("usb", new DriveIdentity("tether", Uuid))], mounts, CancellationToken.None);
        Assert.Equal(("/tmp/tether drive/tether", "repository uuid"), (Assert.Single(found).RepositoryPath, found[0].MatchedBy));
    }

    [Fact]
    public async Task TheRecordedFilesystemWinsOverAnotherMountHoldingTheSameRepository()
    {
        // A cloned image (or a bind mount) holds the same repository; the filesystem with the recorded uuid is preferred, then the label.
        var mounts = MountTable.Parse("""
            700 28 7:0 / /mnt/clone rw - ext4 /dev/loop0 rw
            701 28 7:1 / /mnt/labelled rw - ext4 /dev/loop1 rw
            702 28 8:17 / /mnt/original rw - ext4 /dev/sdb1 rw
            """);
        var repositories = new Dictionary<string, string> { ["/mnt/clone/tether"] = Uuid, ["/mnt/labelled/tether"] = Uuid, ["/mnt/original/tether"] = Uuid };
        var ids = new Dictionary<int, FilesystemId> { [700] = new("9999-0000", null), [701] = new("8888-0000", "BACKUP"), [702] = new("1234-abcd", "OTHER") };
        var (found, _) = await Locator(ids, repositories).LocateAsync([("usb", Backup)], mounts, CancellationToken.None);
        Assert.Equal("/mnt/original/tether", Assert.Single(found).RepositoryPath); // uuids compare case-insensitively (vfat's are upper case)

        ids.Remove(702);
        repositories.Remove("/mnt/original/tether");
        (found, _) = await Locator(ids, repositories).LocateAsync([("usb", Backup)], mounts, CancellationToken.None);
        Assert.Equal(("/mnt/labelled/tether", "label"), (Assert.Single(found).RepositoryPath, found[0].MatchedBy));
    }

    [Fact]
    public async Task AnUnknownDriveOrAnotherRepositoryIsNeverTakenAndAMatchingFilesystemWithoutTheRepositoryIsReported()
    {
        var mounts = MountTable.Parse("""
            612 28 8:17 / /media/me/BACKUP rw - vfat /dev/sdb1 rw
            613 28 8:33 / /media/me/STRANGER rw - vfat /dev/sdc1 rw
            """);
        var ids = new Dictionary<int, FilesystemId> { [612] = new("1234-ABCD", "BACKUP"), [613] = new("5555-6666", "STRANGER") };
        var repositories = new Dictionary<string, string> { ["/media/me/BACKUP/tether"] = Other };
        var (found, mismatches) = await Locator(ids, repositories).LocateAsync([("usb", Backup)], mounts, CancellationToken.None);
        Assert.Empty(found);
        var mismatch = Assert.Single(mismatches);
        Assert.Equal(612, mismatch.Mount.MountId);
        Assert.Contains($"is another repository (uuid {Other}, expected {Uuid})", mismatch.Why);

        (found, mismatches) = await Locator(ids, []).LocateAsync([("usb", Backup)], mounts, CancellationToken.None);
        Assert.Empty(found);
        Assert.Contains("holds no repository", Assert.Single(mismatches).Why);
    }

    [Fact]
    public async Task OnlyTheTopMountOfAMountPointIsVisibleAndSeveralDrivesAreFoundAtOnce()
    {
        var mounts = MountTable.Parse("""
            800 28 8:17 / /mnt/a rw - ext4 /dev/sdb1 rw
            801 28 0:60 / /mnt/a rw - tmpfs tmpfs rw
            802 28 8:33 / /mnt/b rw - ext4 /dev/sdc1 rw
            """);
        var second = new DriveIdentity("sync/here", Other);
        var repositories = new Dictionary<string, string> { ["/mnt/a/tether"] = Uuid, ["/mnt/b/sync/here"] = Other };
        var ids = new Dictionary<int, FilesystemId> { [800] = new("1234-ABCD", null) };
        var (found, _) = await Locator(ids, repositories).LocateAsync([("usb", Backup), ("stick", second)], mounts, CancellationToken.None);
        Assert.Equal([("usb", 801), ("stick", 802)], found.Select(f => (f.Remote, f.Mount.MountId)));
    }
}
