using Tether.Kernel.Native;

namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// The transfer lock files this process holds, process-wide. fcntl locks belong to the process, not the descriptor:
/// a second lock request from this process on a file it already holds succeeds (so it cannot tell "busy"), F_GETLK
/// reports no conflict for our own lock, and closing ANY descriptor of the file drops the lock. So every open of a
/// transfer lock file goes through here, under one gate: a file we hold is never opened again (not even to query its
/// holder), and nothing probes a file while another thread is locking it.
/// Nothing else in the process may open these lock files.
/// </summary>
internal static class TransferLockRegistry
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Held = new(StringComparer.Ordinal);

    public static bool IsHeld(string lockPath)
    {
        lock (Gate) return Held.Contains(lockPath);
    }

    /// <summary>
    /// Takes the fcntl write lock on <paramref name="lockPath"/> (created if missing), or null if this process or
    /// another one holds it. A lock that turns out to be on an inode no longer at the path (its holder finished and
    /// unlinked it between our open and our lock) is dropped and taken again on the current file.
    /// </summary>
    public static PosixFileLock? TryClaim(string lockPath)
    {
        lock (Gate)
        {
            if (Held.Contains(lockPath)) return null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var held = PosixFileLock.TryAcquire(lockPath);
                if (held is null) return null;
                if (held.IsStillAtPath())
                {
                    Held.Add(lockPath);
                    return held;
                }
                held.Dispose();
            }
            return null;
        }
    }

    /// <summary>Releases a claimed lock; with <paramref name="unlink"/> the lock file is removed first, while still held (as git-annex does).</summary>
    public static void Release(PosixFileLock held, bool unlink)
    {
        lock (Gate)
        {
            try
            {
                if (unlink) TryDelete(held.Path);
            }
            finally
            {
                held.Dispose();
                Held.Remove(held.Path);
            }
        }
    }

    /// <summary>Whether the lock is held, and by which pid (ours when this process holds it).</summary>
    public static (bool Running, int? Pid) Probe(string lockPath)
    {
        lock (Gate)
        {
            if (Held.Contains(lockPath)) return (true, Environment.ProcessId);
            try
            {
                // Opens and closes the file: safe only because this process holds no lock on it (checked above).
                var pid = PosixFileLock.HolderPid(lockPath);
                return (pid is not null, pid);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return (false, null);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { }
    }
}
