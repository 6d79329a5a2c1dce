using System.Threading.Channels;

namespace Tether.Plugins.Usb;

/// <summary>
/// Signals changes of the mount table: a thread blocked in poll(2) on /proc/self/mountinfo writes to a channel of
/// capacity one (a burst of mounts is one signal; the reader re-reads the whole table). Zero wake-ups while nothing
/// changes; disposing wakes and ends the thread.
/// </summary>
internal sealed class MountInfoWatcher : IDisposable
{
    private readonly int _mountInfoFd;
    private readonly int _wakeFd;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Thread _thread;
    private int _disposed;

    public MountInfoWatcher(string path = Sdk.Drives.MountTable.SelfPath)
    {
        _mountInfoFd = MountInfoPoll.OpenMountInfo(path);
        _wakeFd = MountInfoPoll.CreateWakeFd();
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
                var (changed, woken) = MountInfoPoll.Wait(_mountInfoFd, _wakeFd);
                if (woken) return;
                if (changed) _changes.Writer.TryWrite(true);
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
        MountInfoPoll.Wake(_wakeFd);
        _thread.Join();
        MountInfoPoll.Close(_mountInfoFd);
        MountInfoPoll.Close(_wakeFd);
    }
}
