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

    public enum Kind { Missing, Regular, Folder, Symlink, Fifo, CharDevice, BlockDevice, Socket, Other }

    /// <summary>True for anything that is not a regular file, folder or symlink.</summary>
    public static bool IsSpecial(string path) => DescribeSpecial(path) is not null;

    /// <summary>What a special file is, for the user ("named pipe (FIFO)", "character device", ...); null for a regular file, folder, symlink or nothing.</summary>
    public static string? DescribeSpecial(string path) =>
        LstatType(path) is var kind && kind is Kind.Missing or Kind.Regular or Kind.Folder or Kind.Symlink ? null : Describe(kind)["a ".Length..];

    /// <summary>The type of the entry at <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static Kind LstatType(string path)
    {
        // statx is glibc ≥ 2.28; its stx_mode field is at a fixed offset (0x1C) in struct statx.
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(-100 /* AT_FDCWD */, path, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x1 /* STATX_TYPE */, ref MemoryMarshal.GetReference(buffer)) != 0)
            return Kind.Missing;
        return KindOf(BitConverter.ToUInt16(buffer[0x1C..]));
    }

    public static Kind KindOf(uint mode) => (mode & S_IFMT) switch
    {
        S_IFREG => Kind.Regular,
        S_IFDIR => Kind.Folder,
        S_IFLNK => Kind.Symlink,
        S_IFIFO => Kind.Fifo,
        S_IFCHR => Kind.CharDevice,
        S_IFBLK => Kind.BlockDevice,
        S_IFSOCK => Kind.Socket,
        _ => Kind.Other,
    };

    /// <summary>"a symbolic link", "a named pipe (FIFO)", ... for messages.</summary>
    public static string Describe(Kind kind) => kind switch
    {
        Kind.Missing => "a missing entry",
        Kind.Regular => "a regular file",
        Kind.Folder => "a folder",
        Kind.Symlink => "a symbolic link",
        Kind.Fifo => "a named pipe (FIFO)",
        Kind.CharDevice => "a character device",
        Kind.BlockDevice => "a block device",
        Kind.Socket => "a socket",
        _ => "a special file",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte statxBuffer);
}
