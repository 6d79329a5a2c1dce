using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Tether.Kernel.Native;

/// <summary>
/// Linux inotify(7). The descriptor is non-blocking and close-on-exec; waiting on it without spinning (poll(2) with
/// an eventfd(2) to wake the waiter) is <see cref="Tether.Platform.Native.WakeablePoll"/>, as for the usb plugin's mountinfo.
/// </summary>
internal static partial class Inotify
{
    // inotify_init1 flags (O_NONBLOCK, O_CLOEXEC).
    public const int IN_NONBLOCK = 0x800;
    public const int IN_CLOEXEC = 0x80000;

    // Event bits.
    public const uint IN_ACCESS = 0x00000001;
    public const uint IN_MODIFY = 0x00000002;
    public const uint IN_ATTRIB = 0x00000004;
    public const uint IN_CLOSE_WRITE = 0x00000008;
    public const uint IN_CLOSE_NOWRITE = 0x00000010;
    public const uint IN_OPEN = 0x00000020;
    public const uint IN_MOVED_FROM = 0x00000040;
    public const uint IN_MOVED_TO = 0x00000080;
    public const uint IN_CREATE = 0x00000100;
    public const uint IN_DELETE = 0x00000200;
    public const uint IN_DELETE_SELF = 0x00000400;
    public const uint IN_MOVE_SELF = 0x00000800;
    public const uint IN_UNMOUNT = 0x00002000;
    public const uint IN_Q_OVERFLOW = 0x00004000;
    public const uint IN_IGNORED = 0x00008000;

    // inotify_add_watch flags.
    public const uint IN_ONLYDIR = 0x01000000;
    public const uint IN_DONT_FOLLOW = 0x02000000;
    public const uint IN_EXCL_UNLINK = 0x04000000;
    public const uint IN_ISDIR = 0x40000000;

    // errno values (Linux, all architectures .NET supports).
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int ENOSPC = 28;
    public const int ELOOP = 40;

    /// <summary>Size of the fixed part of <c>struct inotify_event</c> (wd, mask, cookie, len).</summary>
    public const int EventHeaderSize = 16;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InitNative(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddWatchNative(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    private static partial int RemoveWatchNative(int fd, int wd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(int fd, byte* buffer, nuint count);

    /// <summary>inotify_init1(IN_NONBLOCK | IN_CLOEXEC); throws when the per-user instance limit or memory is exhausted.</summary>
    public static int Init()
    {
        var fd = InitNative(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) throw Error("inotify_init1", Marshal.GetLastPInvokeError());
        return fd;
    }

    /// <summary>inotify_add_watch(2): returns the watch descriptor (the same one again for an inode already watched), or -1 with <paramref name="errno"/> set.</summary>
    public static int AddWatch(int fd, string path, uint mask, out int errno)
    {
        var wd = AddWatchNative(fd, path, mask);
        errno = wd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return wd;
    }

    /// <summary>inotify_rm_watch(2); errors (the watch is already gone) are ignored. The kernel then queues IN_IGNORED for it.</summary>
    public static void RemoveWatch(int fd, int wd) => RemoveWatchNative(fd, wd);

    /// <summary>Reads queued events into <paramref name="buffer"/>: the byte count, or 0 when nothing is queued (EAGAIN). EINTR is retried.</summary>
    public static unsafe int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = ReadNative(fd, p, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EAGAIN) return 0;
                if (errno != EINTR) throw Error("read(inotify)", errno);
            }
        }
    }

    /// <summary>Appends every <c>struct inotify_event</c> in <paramref name="buffer"/> (as returned by one read) to <paramref name="into"/>.</summary>
    public static void Parse(ReadOnlySpan<byte> buffer, List<InotifyEvent> into)
    {
        var offset = 0;
        while (offset + EventHeaderSize <= buffer.Length)
        {
            var header = buffer.Slice(offset, EventHeaderSize);
            var wd = MemoryMarshal.Read<int>(header);
            var mask = MemoryMarshal.Read<uint>(header[4..]);
            var cookie = MemoryMarshal.Read<uint>(header[8..]);
            var len = (int)MemoryMarshal.Read<uint>(header[12..]);
            if (offset + EventHeaderSize + len > buffer.Length) break; // never happens: the kernel returns whole events
            string? name = null;
            if (len > 0)
            {
                var raw = buffer.Slice(offset + EventHeaderSize, len);
                var end = raw.IndexOf((byte)0);
                name = Encoding.UTF8.GetString(end < 0 ? raw : raw[..end]);
            }
            into.Add(new InotifyEvent(wd, mask, cookie, name));
            offset += EventHeaderSize + len;
        }
    }

    private static IOException Error(string call, int errno) =>
        new($"{call} failed: {new Win32Exception(errno).Message} (errno {errno})");
}
