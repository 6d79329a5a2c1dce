using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>What another local user can leave where Tether makes a private folder (run as root: chown needs it).</summary>
public static class HostileFolder
{
    public static TheoryData<string> Kinds => new() { "owned by nobody", "mode 0777", "a symlink" };

    /// <summary>Makes <paramref name="path"/> the way <paramref name="kind"/> says; <paramref name="scratch"/> holds a symlink's target.</summary>
    public static void Make(string path, string kind, string scratch)
    {
        switch (kind)
        {
            case "owned by nobody":
                Directory.CreateDirectory(path, (UnixFileMode)0x1C0 /* 0700 */);
                Unprivileged.Run("chown", $"{Unprivileged.Uid}:{Unprivileged.Uid}", path);
                break;
            case "mode 0777":
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
                break;
            case "a symlink":
                var target = Path.Combine(scratch, "planted");
                Directory.CreateDirectory(target, (UnixFileMode)0x1C0);
                File.CreateSymbolicLink(path, target);
                break;
            default: throw new ArgumentException(kind);
        }
    }

    /// <summary>What the owner and mode part of the refusal names for <paramref name="kind"/>.</summary>
    public static string Found(string kind) => kind switch
    {
        "owned by nobody" => $"owner nobody (uid {Unprivileged.Uid}), mode 0700",
        "mode 0777" => "mode 0777",
        _ => "a symbolic link",
    };
}
