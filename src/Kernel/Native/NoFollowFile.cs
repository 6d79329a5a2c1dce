using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Kernel.Native;

/// <summary>
/// Reads files below a root that someone else may write (a remote's or a drive's object store) without following
/// a symlink at any component below the root, and only if the file is a regular file: the descriptor is walked down
/// with openat(O_NOFOLLOW) folder by folder, the file itself is opened O_NONBLOCK (a FIFO does not block the open)
/// and checked with fstat after the open, so nothing can be swapped in between the check and the read.
/// </summary>
internal static partial class NoFollowFile
{
    private const int O_RDONLY = 0;
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private const int ELOOP = 40;
    private const int ENOTDIR = 20;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1;
    private const uint STATX_SIZE = 0x200;
    private const int ModeOffset = 0x1C;
    private const int SizeOffset = 0x28;

    // The two flags differ between x86 and the Arm ABIs (asm-generic vs arm fcntl.h).
    private static readonly bool ArmFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static int O_DIRECTORY => ArmFlags ? 0x4000 : 0x10000;
    private static int O_NOFOLLOW => ArmFlags ? 0x8000 : 0x20000;

    /// <summary>
    /// Opens <paramref name="root"/>/<paramref name="relative"/> for reading; <paramref name="length"/> is its size at the
    /// open (callers read no more). Throws <see cref="FileNotFoundException"/> when it is not there and
    /// <see cref="IOException"/> naming the path when it, or a folder on the way, is a symlink or not a regular file.
    /// </summary>
    public static FileStream OpenRegular(string root, string relative, out long length)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var dir = Open(-100 /* AT_FDCWD */, root, O_RDONLY | O_DIRECTORY | O_CLOEXEC, root);
        try
        {
            var walked = root;
            foreach (var folder in parts[..^1])
            {
                walked = Path.Combine(walked, folder);
                var next = Open(dir, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, walked);
                Close(dir);
                dir = next;
            }
            var path = Path.Combine(root, relative);
            var fd = Open(dir, parts[^1], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, path);
            var handle = new SafeFileHandle(fd, ownsHandle: true);
            try
            {
                length = RequireRegular(fd, path);
                if (Fcntl(fd, F_GETFL, 0) is var flags and >= 0) Fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
                return new FileStream(handle, FileAccess.Read, 1 << 20, isAsync: false);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        finally
        {
            Close(dir);
        }
    }

    /// <summary>Whether the path below <paramref name="root"/> is a regular file reached through real folders only (lstat of each component).</summary>
    public static bool IsRegularBelow(string root, string relative)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = root;
        for (var i = 0; i < parts.Length; i++)
        {
            path = Path.Combine(path, parts[i]);
            var type = NativeFileType.LstatType(path);
            if (type != (i == parts.Length - 1 ? NativeFileType.Kind.Regular : NativeFileType.Kind.Folder)) return false;
        }
        return parts.Length > 0;
    }

    private static int Open(int dirFd, string name, int flags, string pathForMessage)
    {
        var fd = OpenAt(dirFd, name, flags, 0);
        if (fd >= 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == NativeFileSystem.ENOENT) throw new FileNotFoundException($"'{pathForMessage}' does not exist", pathForMessage);
        if (errno is ELOOP or ENOTDIR)
        {
            var kind = NativeFileType.LstatType(pathForMessage);
            throw new IOException($"'{pathForMessage}' is {NativeFileType.Describe(kind)}{(kind == NativeFileType.Kind.Symlink ? "; not followed" : ", not a folder")}");
        }
        throw new IOException($"cannot open '{pathForMessage}': {new Win32Exception(errno).Message}");
    }

    private static long RequireRegular(int fd, string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        if (Statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, ref MemoryMarshal.GetReference(buffer)) != 0)
            throw new IOException($"cannot stat '{path}': {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        var kind = NativeFileType.KindOf(BitConverter.ToUInt16(buffer[ModeOffset..]));
        if (kind != NativeFileType.Kind.Regular) throw new IOException($"'{path}' is {NativeFileType.Describe(kind)}, not a regular file; not read");
        return (long)BitConverter.ToUInt64(buffer[SizeOffset..]);
    }

    private static void Close(int fd)
    {
        if (fd >= 0) CloseNative(fd);
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(int dirFd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte statxBuffer);
}
