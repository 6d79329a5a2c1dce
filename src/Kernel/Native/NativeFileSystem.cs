using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>POSIX calls .NET does not expose: hard links and an atomic rename that never falls back to copying.</summary>
internal static partial class NativeFileSystem
{
    public const int EEXIST = 17;
    public const int EXDEV = 18;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string oldPath, string newPath);

    /// <summary>Creates a hard link; returns the errno (0 on success) so callers can handle EEXIST and EXDEV.</summary>
    public static int TryHardLink(string existing, string newPath) =>
        LinkNative(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>rename(2): atomic replace within one filesystem. Returns the errno (0 on success).</summary>
    public static int TryRename(string from, string to) =>
        RenameNative(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void Rename(string from, string to)
    {
        var errno = TryRename(from, to);
        if (errno != 0) throw new IOException($"cannot rename '{from}' to '{to}': {new Win32Exception(errno).Message}");
    }
}
