using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>Tells FIFOs, sockets and device nodes from regular files (lstat's S_IFMT), which .NET does not expose.</summary>
internal static partial class NativeFileType
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFREG = 0x8000;
    private const uint S_IFDIR = 0x4000;
    private const uint S_IFLNK = 0xA000;

    private const uint S_IFIFO = 0x1000;
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFBLK = 0x6000;
    private const uint S_IFSOCK = 0xC000;

    /// <summary>True for anything that is not a regular file, folder or symlink.</summary>
    public static bool IsSpecial(string path) => DescribeSpecial(path) is not null;

    /// <summary>What a special file is, for the user ("named pipe (FIFO)", "character device", ...); null for a regular file, folder, symlink or nothing.</summary>
    public static string? DescribeSpecial(string path)
    {
        // statx is glibc ≥ 2.28; its stx_mode field is at a fixed offset (0x1C) in struct statx.
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(-100 /* AT_FDCWD */, path, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x1 /* STATX_TYPE */, ref MemoryMarshal.GetReference(buffer)) != 0)
            return null;
        var mode = (uint)BitConverter.ToUInt16(buffer[0x1C..]);
        return (mode & S_IFMT) switch
        {
            S_IFREG or S_IFDIR or S_IFLNK => null,
            S_IFIFO => "named pipe (FIFO)",
            S_IFCHR => "character device",
            S_IFBLK => "block device",
            S_IFSOCK => "socket",
            _ => "special file",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte statxBuffer);
}
