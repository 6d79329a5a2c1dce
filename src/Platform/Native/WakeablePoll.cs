using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.Plugins.Usb;

/// <summary>
/// poll(2) on an open /proc/self/mountinfo: the kernel flags POLLPRI|POLLERR when a mount or unmount changed the
/// mount namespace (proc(5)); an eventfd(2) beside it wakes the waiter to stop. No timeout, so nothing runs while
/// nothing changes.
/// </summary>
internal static partial class MountInfoPoll
{
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int EFD_NONBLOCK = 0x800;
    private const int EFD_CLOEXEC = 0x80000;
    private const short POLLIN = 0x001;
    private const short POLLPRI = 0x002;
    private const short POLLERR = 0x008;
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

    public static int OpenMountInfo(string path)
    {
        var fd = OpenNative(path, O_RDONLY | O_CLOEXEC);
        return fd >= 0 ? fd : throw Error($"open({path})", Marshal.GetLastPInvokeError());
    }

    public static int CreateWakeFd()
    {
        var fd = EventFdNative(0, EFD_NONBLOCK | EFD_CLOEXEC);
        return fd >= 0 ? fd : throw Error("eventfd", Marshal.GetLastPInvokeError());
    }

    public static unsafe void Wake(int wakeFd)
    {
        ulong one = 1;
        WriteNative(wakeFd, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Blocks until the mount table changed or the wake descriptor was written: (changed, woken). EINTR is retried.</summary>
    public static unsafe (bool Changed, bool Woken) Wait(int mountInfoFd, int wakeFd)
    {
        var fds = stackalloc PollFd[2];
        while (true)
        {
            fds[0] = new PollFd { Fd = mountInfoFd, Events = POLLPRI | POLLERR };
            fds[1] = new PollFd { Fd = wakeFd, Events = POLLIN };
            var n = PollNative(fds, 2, -1);
            if (n >= 0) return ((fds[0].REvents & (POLLPRI | POLLERR)) != 0, fds[1].REvents != 0);
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR) throw Error("poll(mountinfo)", errno);
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0) CloseNative(fd);
    }

    private static IOException Error(string call, int errno) => new($"{call} failed: {new Win32Exception(errno).Message} (errno {errno})");
}
