using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>
/// A POSIX fcntl write lock on a whole file, the kind git-annex takes (flock, which FileShare.None
/// takes in .NET, is invisible to it). Released on dispose or when the process dies.
/// </summary>
public sealed partial class PosixFileLock : IDisposable
{
    private const int F_SETLK = 6;
    private const int F_SETLKW = 7;
    private const int F_GETLK = 5;
    private const short F_RDLCK = 0;
    private const short F_WRLCK = 1;
    private const short F_UNLCK = 2;
    private const int EACCES = 13;
    private const int EAGAIN = 11;
    private const int EINTR = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short l_type;
        public short l_whence;
        public long l_start;
        public long l_len;
        public int l_pid;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, ref Flock flock);

    /// <summary>
    /// fcntl locks belong to a process, not a thread: two threads of one daemon would both "hold" the lock, and the first
    /// to close its descriptor would drop the other's (found by the fuzz: the committer and the transfer scheduler
    /// committed the git-annex journal at once, one deleted what the other was reading, and the daemon stopped). So
    /// <see cref="AcquireAsync"/> first queues threads on a process-wide semaphore per path, as
    /// TransferLockRegistry does for transfer locks.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly FileStream _stream;
    private SemaphoreSlim? _inProcess;

    private PosixFileLock(FileStream stream) => _stream = stream;

    public string Path => _stream.Name;

    /// <summary>Takes the lock, or returns null at once if another process holds it.</summary>
    public static PosixFileLock? TryAcquire(string path) => Acquire(path, wait: false);

    /// <summary>Takes the lock, waiting for another holder to release it (checked every 50 ms, until cancelled).</summary>
    public static async Task<PosixFileLock> AcquireAsync(string path, CancellationToken ct)
    {
        var inProcess = InProcess.GetOrAdd(System.IO.Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
        await inProcess.WaitAsync(ct);
        try
        {
            while (true)
            {
                if (Acquire(path, wait: false) is { } held)
                {
                    held._inProcess = inProcess;
                    return held;
                }
                await Task.Delay(50, ct);
            }
        }
        catch
        {
            inProcess.Release();
            throw;
        }
    }

    /// <summary>The pid of a process holding a write lock on the file, or null if none (or the file is missing).</summary>
    public static int? HolderPid(string path)
    {
        if (!File.Exists(path)) return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var query = new Flock { l_type = F_WRLCK, l_whence = 0, l_start = 0, l_len = 0 };
        if (Fcntl((int)stream.SafeFileHandle.DangerousGetHandle(), F_GETLK, ref query) != 0)
            throw new IOException($"cannot query lock on '{path}': {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        return query.l_type == F_UNLCK ? null : query.l_pid;
    }

    private static PosixFileLock? Acquire(string path, bool wait)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // FileShare flags only matter to .NET's own flock emulation; the fcntl lock below is the real claim.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var request = new Flock { l_type = F_WRLCK, l_whence = 0, l_start = 0, l_len = 0 };
        while (Fcntl((int)stream.SafeFileHandle.DangerousGetHandle(), wait ? F_SETLKW : F_SETLK, ref request) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            stream.Dispose();
            if (errno is EACCES or EAGAIN) return null;
            throw new IOException($"cannot lock '{path}': {new Win32Exception(errno).Message}");
        }
        return new PosixFileLock(stream);
    }

    /// <summary>
    /// True while the locked descriptor is still the file at <see cref="Path"/>: false once that path was unlinked or
    /// replaced (a lock on an orphaned inode guards nothing; git-annex calls this check checkSaneLock).
    /// </summary>
    public bool IsStillAtPath()
    {
        var held = FileIdentity.OfDescriptor((int)_stream.SafeFileHandle.DangerousGetHandle());
        return held is not null && held == FileIdentity.OfPath(Path);
    }

    public void Dispose()
    {
        _stream.Dispose(); // closing the descriptor drops the fcntl lock
        Interlocked.Exchange(ref _inProcess, null)?.Release();
    }
}
