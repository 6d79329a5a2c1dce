using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>`tether drive add` on what it is given: a folder that is not a mount point, a drive git-annex prepared, a folder in the way.</summary>
[Collection(nameof(RunsAlone))]
public sealed class DriveAddTests
{
    [Fact]
    public async Task AFolderThatIsNotAMountPointIsRefusedAndNothingChanges()
    {
        using var dir = new TempFolder();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var config = File.ReadAllText(Path.Combine(rig.Laptop, ".tether", "config.yml"));
        var plain = Directory.CreateDirectory(dir.Combine("just a folder")).FullName;
        var result = await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", plain);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{plain}' is not a mount point", result.Error);
        Assert.Equal(config, File.ReadAllText(Path.Combine(rig.Laptop, ".tether", "config.yml")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(plain));
        Assert.Contains("does not exist", (await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", dir.Combine("missing"))).Error);
    }

    [MountFact]
    public async Task ADriveGitAnnexPreparedIsUsedAsItIsAndAFolderInTheWayIsRefused()
    {
        using var dir = new TempFolder();
        using var drive = ScratchDrive.Tmpfs();
        var rig = new DriveTestRig(dir.Path);
        await rig.InitAsync();
        var mounted = drive.Mount(dir.Combine("m1"));
        var annexed = Directory.CreateDirectory(Path.Combine(mounted, "annex")).FullName;
        GitCli.Run(annexed, "init", "-q", "--bare");
        GitCli.Run(annexed, "annex", "init", "-q", "made by git-annex");
        var uuid = GitCli.Run(annexed, "config", "annex.uuid").Trim();

        var added = await CliRunner.RunAsync(rig.Laptop, "drive", "add", "usb", mounted, "--folder", "annex");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"repository uuid {uuid}", added.Out);
        Assert.Contains($"drive: {{folder: annex, uuid: {uuid}}}", File.ReadAllText(Path.Combine(rig.Laptop, ".tether", "config.yml")));

        Directory.CreateDirectory(Path.Combine(mounted, "photos"));
        File.WriteAllText(Path.Combine(mounted, "photos", "mine.jpg"), "not a repository");
        var refused = await CliRunner.RunAsync(rig.Laptop, "drive", "add", "stick", mounted, "--folder", "photos");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("exists and is not a repository: choose another --folder", refused.Error);
        Assert.Equal(["mine.jpg"], Directory.EnumerateFileSystemEntries(Path.Combine(mounted, "photos")).Select(Path.GetFileName));
    }
}
