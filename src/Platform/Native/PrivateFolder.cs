using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Tether.Platform.Native;

/// <summary>
/// A folder of this user's under a shared location (the temp folder), for sockets another local user must never
/// reach or plant: made with mode 0700 by mkdir (no window with wider access), and, whether just made or found,
/// used only if lstat shows a real folder (not a symlink) owned by our uid with no group or other access.
/// Anything else is refused with a <see cref="PrivateFolderException"/>, never used or repaired: someone else made it.
/// Used for the ssh multiplexing sockets and the control sockets (<see cref="RuntimeFolders"/>).
/// </summary>
public static class PrivateFolder
{
    private const int EEXIST = 17;
    private const int ENOENT = 2;
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 1, STATX_MODE = 2, STATX_UID = 8;
    private const int UidOffset = 0x14;
    private const int ModeOffset = 0x1C;
    private const int TypeMask = 0xF000, Directory = 0x4000, SymbolicLink = 0xA000;
    private const int GroupOrOther = 0x3F; // 077

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int MakeDirectory(string path, uint mode);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint EffectiveUid();

    /// <summary>
    /// $XDG_RUNTIME_DIR when it is a private folder of ours (as the XDG spec requires; one that is not is ignored),
    /// else <c>TMP/NAME-USER</c> made private, where TMP is $TMPDIR or /tmp.
    /// </summary>
    public static string UserRuntimeFolder(string name) =>
        UserRuntimeFolder(name, Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), Path.GetTempPath(), Environment.UserName);

    internal static string UserRuntimeFolder(string name, string? runtime, string temp, string user) =>
        !string.IsNullOrEmpty(runtime) && IsPrivate(runtime) ? runtime : Ensure(Path.Combine(temp, $"{name}-{user}"));

    /// <summary>Makes <paramref name="path"/> (mode 0700) unless it exists, then checks it is private; returns it.</summary>
    /// <exception cref="PrivateFolderException">It exists and is not a private folder of ours.</exception>
    public static string Ensure(string path)
    {
        if (MakeDirectory(path, 0x1C0 /* 0700 */) != 0 && Marshal.GetLastPInvokeError() is var errno and not EEXIST)
            throw new IOException($"cannot create the private folder {path}: {new Win32Exception(errno).Message}");
        var problem = Problem(path, out _);
        return problem is null ? path : throw new PrivateFolderException(
            $"refusing the folder {path}: {problem}; tether keeps its sockets there, so it must be a folder of uid {EffectiveUid()} only (mode 0700). " +
            "Another user may have made it to intercept tether: remove it, or set XDG_RUNTIME_DIR to a private folder of yours");
    }

    /// <summary>True when <paramref name="path"/> is a folder of ours with no group or other access (false when missing or not).</summary>
    public static bool IsPrivate(string path) => Problem(path, out var missing) is null && !missing;

    /// <summary>What makes the existing <paramref name="path"/> not private (owner and mode named), or null.</summary>
    private static string? Problem(string path, out bool missing)
    {
        var buffer = new byte[256];
        missing = false;
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MODE | STATX_UID, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            missing = errno == ENOENT;
            return $"cannot read its owner and mode ({new Win32Exception(errno).Message})";
        }
        var uid = BitConverter.ToUInt32(buffer, UidOffset);
        int mode = BitConverter.ToUInt16(buffer, ModeOffset);
        var found = $"owner {OwnerName(uid)}, mode {Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0')}";
        return (mode & TypeMask) switch
        {
            SymbolicLink => $"it is a symbolic link (to {new FileInfo(path).LinkTarget}; {found}), not a folder",
            not Directory => $"it is not a folder ({found})",
            _ when uid != EffectiveUid() => $"it belongs to another user ({found})",
            _ when (mode & GroupOrOther) != 0 => $"group or others have access to it ({found})",
            _ => null,
        };
    }

    /// <summary>"name (uid N)" from /etc/passwd, or "uid N".</summary>
    private static string OwnerName(uint uid)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
                if (line.Split(':') is [var name, _, var entryId, ..] && entryId == id) return $"{name} (uid {id})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return $"uid {id}";
    }
}
