using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>
/// (device, inode) of a path or an open descriptor, through statx(2) (glibc ≥ 2.28; struct statx has a fixed layout
/// on every architecture). Used to check that a lock taken on a descriptor is still the lock of the file at its path,
/// as git-annex's checkSaneLock does: a holder that finishes unlinks the lock file, so a lock taken on an inode opened
/// just before that unlink guards nothing.
/// </summary>
internal static partial class FileIdentity
{
    private const int AT_FDCWD = -100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_INO = 0x100;
    private const int InoOffset = 0x20;
    private const int DevMajorOffset = 0x88;
    private const int DevMinorOffset = 0x8C;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte statxBuffer);

    private const uint STATX_NLINK = 0x4;
    private const int NlinkOffset = 0x10;

    public readonly record struct Id(uint DevMajor, uint DevMinor, ulong Inode);

    /// <summary>How many names the file at <paramref name="path"/> has (hard links; the link itself is never followed), or 0 if there is none.</summary>
    public static uint LinkCount(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        const int AT_SYMLINK_NOFOLLOW = 0x100;
        return Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_NLINK, ref MemoryMarshal.GetReference(buffer)) == 0
            ? BitConverter.ToUInt32(buffer[NlinkOffset..]) : 0;
    }

    /// <summary>What changes whenever a file's bytes do: its identity, size, and modification and change times (ns).</summary>
    public readonly record struct Stamp(Id Id, ulong Size, long ModifiedNs, long ChangedNs);

    /// <summary>
    /// The stamp of the file at <paramref name="path"/> (a link itself, never followed), or null if there is none. Its
    /// change time cannot be set back by any program, so an unchanged stamp means unchanged bytes, as git's index trusts.
    /// </summary>
    public static Stamp? StampOf(string path)
    {
        const int AT_SYMLINK_NOFOLLOW = 0x100;
        const uint STATX_MTIME = 0x40, STATX_CTIME = 0x80, STATX_SIZE = 0x200;
        const int SizeOffset = 0x28, CtimeOffset = 0x60, MtimeOffset = 0x70;
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_SIZE | STATX_MTIME | STATX_CTIME, ref MemoryMarshal.GetReference(buffer)) != 0) return null;
        static long Nanoseconds(ReadOnlySpan<byte> at) => BitConverter.ToInt64(at) * 1_000_000_000 + BitConverter.ToUInt32(at[8..]);
        var id = new Id(BitConverter.ToUInt32(buffer[DevMajorOffset..]), BitConverter.ToUInt32(buffer[DevMinorOffset..]), BitConverter.ToUInt64(buffer[InoOffset..]));
        return new Stamp(id, BitConverter.ToUInt64(buffer[SizeOffset..]), Nanoseconds(buffer[MtimeOffset..]), Nanoseconds(buffer[CtimeOffset..]));
    }

    /// <summary>The identity of the file at <paramref name="path"/> (symlinks followed), or null if there is none.</summary>
    public static Id? OfPath(string path) => Query(AT_FDCWD, path, 0);

    /// <summary>The identity of the file an open descriptor refers to (even if it was unlinked since).</summary>
    public static Id? OfDescriptor(int fd) => Query(fd, "", AT_EMPTY_PATH);

    private static Id? Query(int dirfd, string path, int flags)
    {
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        if (Statx(dirfd, path, flags, STATX_INO, ref MemoryMarshal.GetReference(buffer)) != 0) return null;
        return new Id(
            BitConverter.ToUInt32(buffer[DevMajorOffset..]),
            BitConverter.ToUInt32(buffer[DevMinorOffset..]),
            BitConverter.ToUInt64(buffer[InoOffset..]));
    }
}
