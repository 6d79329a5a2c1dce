using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.Platform.Native;

/// <summary>
/// Waiting on a descriptor without spinning: poll(2) over it and an eventfd(2) that is written to wake the waiter
/// (to stop it). Used by the work tree watcher (inotify: readable) and the usb trigger (/proc/self/mountinfo:
/// POLLPRI|POLLERR when the mount table changed, proc(5)). Descriptors are close-on-exec; the eventfd non-blocking.
/// </summary>
public static partial class WakeablePoll
{
    public const short In = 0x001;
    public const short Priority = 0x002;
    public const short Error = 0x008;

    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int EFD_NONBLOCK = 0x800;
    private const int EFD_CLOEXEC = 0x80000;
    private const int EINTR = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFdNative(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int PollNative(PollFd* fds, nuint count, int timeoutMs);

    /// <summary>open(path, O_RDONLY | O_CLOEXEC), for a file to poll (e.g. /proc/self/mountinfo).</summary>
    public static int OpenReadOnly(string path)
    {
        var fd = OpenNative(path, O_RDONLY | O_CLOEXEC);
        return fd >= 0 ? fd : throw Failed($"open({path})", Marshal.GetLastPInvokeError());
    }

    /// <summary>eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), used to wake <see cref="Wait"/>.</summary>
    public static int CreateWakeFd()
    {
        var fd = EventFdNative(0, EFD_NONBLOCK | EFD_CLOEXEC);
        return fd >= 0 ? fd : throw Failed("eventfd", Marshal.GetLastPInvokeError());
    }

    /// <summary>Makes the wake descriptor readable, so a pending or future <see cref="Wait"/> returns.</summary>
    public static unsafe void Wake(int wakeFd)
    {
        ulong one = 1;
        WriteNative(wakeFd, (byte*)&one, sizeof(ulong));
    }

    /// <summary>
    /// Blocks (no CPU) until <paramref name="fd"/> has one of <paramref name="events"/> (or an error, hang-up),
    /// <paramref name="wakeFd"/> is readable, or the timeout passes (-1: no timeout). Returns the events
    /// <paramref name="fd"/> reported (0: none) and whether it was woken. EINTR is retried.
    /// </summary>
    public static unsafe (short Events, bool Woken) Wait(int fd, short events, int wakeFd, int timeoutMs)
    {
        var fds = stackalloc PollFd[2];
        while (true)
        {
            fds[0] = new PollFd { Fd = fd, Events = events };
            fds[1] = new PollFd { Fd = wakeFd, Events = In };
            var n = PollNative(fds, 2, timeoutMs);
            if (n >= 0) return (fds[0].REvents, fds[1].REvents != 0);
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR) throw Failed("poll", errno);
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0) CloseNative(fd);
    }

    private static IOException Failed(string call, int errno) => new($"{call} failed: {new Win32Exception(errno).Message} (errno {errno})");
}
