using Tether.Kernel.Configuration;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>A remote's drive: section in the YAML config: bound, printed back, and refused with file:line when wrong.</summary>
public sealed class DriveConfigTests
{
    private const string Valid = """
        remotes:
          - name: usb
            url: /media/me/BACKUP/tether
            drive: {folder: tether, uuid: 96b1bc42-8fcd-4e88-a4e4-9bd73a627b8e, fs_uuid: 1234-ABCD, label: "My Stick"}
        """;

    [Fact]
    public void ADriveSectionIsBoundAndPrintedBackTheSame()
    {
        var config = ConfigLoader.LoadFromText(Valid, "/c.yml");
        var drive = Assert.Single(config.Remotes).Drive!;
        Assert.Equal(("tether", "96b1bc42-8fcd-4e88-a4e4-9bd73a627b8e", "1234-ABCD", "My Stick"), (drive.Folder, drive.RepositoryUuid, drive.FsUuid, drive.Label));
        var again = ConfigLoader.LoadFromText(ConfigPrinter.ToYaml(config), "/printed.yml");
        Assert.Equal(drive.ToIdentity(), again.Remotes[0].Drive!.ToIdentity());
        Assert.Equal("local", again.Remotes[0].Backend);
    }

    [Theory]
    [InlineData("{folder: ../elsewhere, uuid: u}", "is not a folder inside the drive")]
    [InlineData("{folder: /abs, uuid: u}", "is not a folder inside the drive")]
    [InlineData("{uuid: u}", "folder")]
    [InlineData("{folder: tether}", "uuid")]
    [InlineData("{folder: tether, uuid: u, serial: 42}", "serial")]
    public void AWrongDriveSectionIsAnErrorNamingTheLine(string drive, string expected)
    {
        var yaml = $"remotes:\n  - name: usb\n    url: /media/me/B/tether\n    drive: {drive}\n";
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText(yaml, "/c.yml"));
        Assert.Contains("/c.yml:4", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
