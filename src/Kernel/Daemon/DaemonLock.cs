using Tether.Kernel.Native;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Daemon;

/// <summary>
/// One daemon per repository: an fcntl write lock on .git/tether/daemon.lock, held for the daemon's life
/// (the kernel drops it when the process dies, even by kill -9). F_GETLK tells others the holder's pid.
/// Never open the lock file elsewhere in the daemon: closing any descriptor of it drops an fcntl lock.
/// </summary>
public sealed class DaemonLock : IDisposable
{
    private readonly PosixFileLock _lock;

    private DaemonLock(PosixFileLock held) => _lock = held;

    public static string PathFor(AnnexRepository repo) => Path.Combine(repo.StateDir, "daemon.lock");

    /// <summary>Takes the lock, or throws <see cref="DaemonAlreadyRunningException"/> naming the pid that holds it.</summary>
    public static DaemonLock Acquire(AnnexRepository repo)
    {
        var path = PathFor(repo);
        var held = PosixFileLock.TryAcquire(path)
            ?? throw new DaemonAlreadyRunningException(repo.DisplayPath, RunningPid(repo));
        return new DaemonLock(held);
    }

    /// <summary>The pid of the running daemon, or null when none runs (asked of the lock, not the pid file).</summary>
    public static int? RunningPid(AnnexRepository repo)
    {
        var path = PathFor(repo);
        return File.Exists(path) ? PosixFileLock.HolderPid(path) : null;
    }

    public void Dispose()
    {
        _lock.Dispose();
    }
}
