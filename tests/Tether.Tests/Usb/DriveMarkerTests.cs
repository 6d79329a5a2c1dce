using Tether.Platform.Drives;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Usb;

/// <summary>The drive's identity on disk: the .tether-drive marker, else annex.uuid of the repository's git config.</summary>
public sealed class DriveMarkerTests
{
    [Fact]
    public void TheMarkerWinsThenTheGitConfigOfABareOrNonBareRepository()
    {
        using var dir = new TempFolder();
        var bare = dir.Combine("bare");
        Directory.CreateDirectory(bare);
        File.WriteAllText(Path.Combine(bare, "config"), "[core]\n\tbare = true\n[annex]\n\tuuid = 11111111-2222-3333-4444-555555555555\n\tversion = 10\n");
        Assert.Equal("11111111-2222-3333-4444-555555555555", DriveMarker.ReadRepositoryUuid(bare));
        DriveMarker.Write(bare, "aaaaaaaa-2222-3333-4444-555555555555", "usb");
        Assert.Equal("aaaaaaaa-2222-3333-4444-555555555555", DriveMarker.ReadRepositoryUuid(bare));

        var clone = dir.Combine("clone");
        Directory.CreateDirectory(Path.Combine(clone, ".git"));
        File.WriteAllText(Path.Combine(clone, ".git", "config"), "[remote \"origin\"]\n\tuuid = not-this\n[annex]\n  uuid = \"bbbbbbbb-2222-3333-4444-555555555555\"\n");
        Assert.Equal("bbbbbbbb-2222-3333-4444-555555555555", DriveMarker.ReadRepositoryUuid(clone));
        Assert.Null(DriveMarker.ReadRepositoryUuid(dir.Combine("missing")));
    }

    [Theory]
    [InlineData("tether-drive 1\nrepository-uuid u-1\nremote usb\n", "u-1")]
    [InlineData("tether-drive 2\nrepository-uuid u-1\n", null)]
    [InlineData("repository-uuid u-1\n", null)]
    [InlineData("tether-drive 1\nremote usb\n", null)]
    public void MarkerFormat(string text, string? expected) => Assert.Equal(expected, DriveMarker.FromMarker(text));
}
