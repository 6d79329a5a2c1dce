using Tether.Platform.Native;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// The one helper for folders of ours under a shared location (<see cref="PrivateFolder"/>): made 0700, and one found
/// with another owner, group or other access, or as a symlink, refused with a line naming it, its owner and mode.
/// </summary>
public sealed class PrivateFolderTests
{
    private const UnixFileMode Private = (UnixFileMode)0x1C0; // 0700

    [Fact]
    public void AFreshFolderIsMadeWithMode0700()
    {
        using var dir = new TempFolder();
        var made = PrivateFolder.Ensure(dir.Combine("mine"));

        Assert.Equal(Private, File.GetUnixFileMode(made));
        Assert.Equal(made, PrivateFolder.Ensure(made)); // found again: ours and private, so used
    }

    [RootTheory]
    [MemberData(nameof(HostileFolder.Kinds), MemberType = typeof(HostileFolder))]
    public void AFolderAnotherUserCouldReachIsRefusedNamingItsOwnerAndMode(string kind)
    {
        using var dir = new TempFolder();
        var path = dir.Combine("tether-ssh-victim");
        HostileFolder.Make(path, kind, dir.Path);

        var refused = Assert.Throws<PrivateFolderException>(() => PrivateFolder.Ensure(path));

        Assert.StartsWith($"refusing the folder {path}: ", refused.Message);
        Assert.Contains(HostileFolder.Found(kind), refused.Message);
        Assert.Contains("remove it", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.False(PrivateFolder.IsPrivate(path));
    }

    [Fact]
    public void AnXdgRuntimeDirThatIsNotPrivateIsNotUsed()
    {
        using var dir = new TempFolder();
        var runtime = dir.Combine("runtime");
        HostileFolder.Make(runtime, "mode 0777", dir.Path);
        var temp = dir.Combine("tmp");
        Directory.CreateDirectory(temp);

        Assert.Equal(Path.Combine(temp, "tether-ssh-me"), PrivateFolder.UserRuntimeFolder("tether-ssh", runtime, temp, "me"));
        File.SetUnixFileMode(runtime, Private);
        Assert.Equal(runtime, PrivateFolder.UserRuntimeFolder("tether-ssh", runtime, temp, "me"));
    }
}
