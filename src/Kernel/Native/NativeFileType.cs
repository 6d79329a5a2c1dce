using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>Tells FIFOs, sockets and device nodes from regular files (lstat's S_IFMT), which .NET does not expose.</summary>
internal static partial class NativeFileType
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFREG = 0x8000;
    private const uint S_IFDIR = 0x4000;
    private const uint S_IFLNK = 0xA000;

    /// <summary>True for anything that is not a regular file, folder or symlink.</summary>
    public static bool IsSpecial(string path)
    {
        // statx is glibc ≥ 2.28; its stx_mode field is at a fixed offset (0x1C) in struct statx.
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(-100 /* AT_FDCWD */, path, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x1 /* STATX_TYPE */, ref MemoryMarshal.GetReference(buffer)) != 0)
            return false;
        var mode = (uint)BitConverter.ToUInt16(buffer[0x1C..]);
        var type = mode & S_IFMT;
        return type is not (S_IFREG or S_IFDIR or S_IFLNK);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte statxBuffer);
}
