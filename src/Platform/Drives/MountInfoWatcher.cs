using System.Threading.Channels;
using Tether.Platform.Native;

namespace Tether.Platform.Drives;

/// <summary>
/// Signals changes of the mount table (for the usb trigger and the daemon's work tree presence check): a thread
/// blocked in poll(2) on /proc/self/mountinfo writes to a channel of capacity one (a burst of mounts is one signal;
/// the reader re-reads the whole table). Zero wake-ups while nothing changes; disposing wakes and ends the thread.
/// </summary>
public sealed class MountInfoWatcher : IDisposable
{
    private readonly int _mountInfoFd;
    private readonly int _wakeFd;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Thread _thread;
    private int _disposed;

    public MountInfoWatcher(string path = MountTable.SelfPath)
    {
        _mountInfoFd = WakeablePoll.OpenReadOnly(path);
        _wakeFd = WakeablePoll.CreateWakeFd();
        _thread = new Thread(Loop) { IsBackground = true, Name = "tether-mountinfo" };
        _thread.Start();
    }

    /// <summary>Other signal sources (udisks2) nudge the same way.</summary>
    public void Nudge() => _changes.Writer.TryWrite(true);

    /// <summary>Waits until the mount table changed since the last wait returned.</summary>
    public async Task WaitForChangeAsync(CancellationToken ct) => await _changes.Reader.ReadAsync(ct);

    private void Loop()
    {
        try
        {
            while (true)
            {
                // The kernel flags POLLPRI|POLLERR on an open mountinfo when a mount or unmount changed the mount namespace (proc(5)).
                var (events, woken) = WakeablePoll.Wait(_mountInfoFd, WakeablePoll.Priority | WakeablePoll.Error, _wakeFd, -1);
                if (woken) return;
                if ((events & (WakeablePoll.Priority | WakeablePoll.Error)) != 0) _changes.Writer.TryWrite(true);
            }
        }
        catch (IOException e)
        {
            _changes.Writer.TryComplete(e);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        WakeablePoll.Wake(_wakeFd);
        _thread.Join();
        WakeablePoll.Close(_mountInfoFd);
        WakeablePoll.Close(_wakeFd);
    }
}
