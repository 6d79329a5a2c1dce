using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>POSIX calls .NET does not expose: hard links, an atomic rename that never falls back to copying, and exchange.</summary>
internal static partial class NativeFileSystem
{
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOENT = 2;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string oldPath, string newPath);

    private const int AT_FDCWD = -100;
    private const uint RENAME_EXCHANGE = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2Native(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    /// <summary>
    /// renameat2(RENAME_EXCHANGE): swaps two existing entries atomically. Returns the errno (0 on success): ENOENT when
    /// either is gone, EINVAL or ENOSYS where the filesystem or kernel cannot exchange.
    /// </summary>
    public static int TryExchange(string a, string b) =>
        RenameAt2Native(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private const uint RENAME_NOREPLACE = 1;

    /// <summary>renameat2(RENAME_NOREPLACE): an atomic rename that fails with EEXIST instead of replacing. Returns the errno.</summary>
    public static int TryRenameNoReplace(string from, string to) =>
        RenameAt2Native(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void FreeNative(IntPtr pointer);

    /// <summary>realpath(3): the absolute path with every symlink, <c>.</c> and <c>..</c> resolved; null when it does not exist (or cannot be reached).</summary>
    public static string? RealPath(string path)
    {
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { FreeNative(resolved); }
    }

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

    private const ulong FICLONE = 0x40049409;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlNative(nint fd, ulong request, nint argument);

    /// <summary>
    /// ioctl(FICLONE): makes <paramref name="destination"/> (open for writing, empty) share <paramref name="source"/>'s blocks
    /// (a reflink: btrfs, xfs, bcachefs). Returns the errno (0 on success): EOPNOTSUPP, EINVAL or EXDEV where it cannot.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRangeNative(nint fd, long offset, long count, uint flags);

    private const uint SYNC_FILE_RANGE_WRITE = 2;

    /// <summary>
    /// Starts writing a range of a file to disk without waiting (sync_file_range SYNC_FILE_RANGE_WRITE), so the final
    /// fsync of a large copy finds most of it written already. Best effort: an error only means fsync does all the work.
    /// </summary>
    public static void StartWriteBack(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long count) =>
        SyncFileRangeNative(file.DangerousGetHandle(), offset, count, SYNC_FILE_RANGE_WRITE);

    public static int TryClone(Microsoft.Win32.SafeHandles.SafeFileHandle source, Microsoft.Win32.SafeHandles.SafeFileHandle destination) =>
        IoctlNative(destination.DangerousGetHandle(), FICLONE, source.DangerousGetHandle()) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
