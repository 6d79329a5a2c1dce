using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// git-annex's transfer records in a repository (see shared/reference/git-annex-formats.md, "Transfer records"):
/// <list type="bullet">
/// <item>info <c>.git/annex/transfer/{upload|download}/&lt;uuid&gt;/&lt;keyfile&gt;</c>, lock <c>lck.&lt;keyfile&gt;</c> beside it,
/// held with a POSIX fcntl write lock for the transfer's whole life;</item>
/// <item>failures <c>.git/annex/transfer/failed/{upload|download}/&lt;uuid&gt;/&lt;keyfile&gt;</c>, same format.</item>
/// </list>
/// Tether and git-annex processes see each other's records and locks. fcntl locks belong to the whole process, so
/// which transfers THIS process holds is kept in a process-wide registry (not per store): two stores of the same
/// repository in one process are safe, but nothing else in the process may open the lock files (closing any
/// descriptor of a lock file drops the process's lock on it). Share one store per repository and process anyway.
/// Thread-safe.
/// </summary>
public sealed class TransferRecordStore
{
    /// <summary>
    /// An info file with no lock file beside it younger than this is left alone: it may be git-annex's temp file
    /// (git-annex writes the first info through a temp file named like a key, e.g. <c>SHA256E-…e5903</c>+pid+<c>-0</c>).
    /// </summary>
    internal static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(10);

    private readonly AnnexRepository _repo;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private static long _tempCounter;

    public TransferRecordStore(AnnexRepository repo, TimeProvider clock, ILogger? logger = null)
    {
        _repo = repo;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary><c>.git/annex/transfer</c></summary>
    public string TransferDir => Path.Combine(_repo.AnnexDir, "transfer");
    public string FailedDir => Path.Combine(TransferDir, "failed");

    public string InfoPath(TransferId id) => Path.Combine(TransferDir, id.DirectionName, id.RemoteUuid, id.KeyFile);
    public string LockPath(TransferId id) => Path.Combine(TransferDir, id.DirectionName, id.RemoteUuid, "lck." + id.KeyFile);
    public string FailedPath(TransferId id) => Path.Combine(FailedDir, id.DirectionName, id.RemoteUuid, id.KeyFile);

    internal TimeProvider Clock => _clock;
    internal ILogger Logger => _logger;

    /// <summary>
    /// Claims the transfer: takes the fcntl write lock on its lock file without waiting and writes its info file
    /// (start time, associated file; stale info of a dead transfer is removed first). Null when another process runs
    /// this transfer, or another <see cref="ActiveTransfer"/> of this process does.
    /// </summary>
    /// <param name="associatedFile">the work-tree file the key is for, relative to the top ('/'-separated), or null.</param>
    public ActiveTransfer? TryBegin(TransferId id, string? associatedFile)
    {
        ArgumentNullException.ThrowIfNull(id);
        var info = new TransferInfo(_clock.GetUtcNow(), null, associatedFile);
        _ = info.Format(); // rejects an associated file that cannot be recorded before anything is locked
        _repo.CreateFolderInGitDir(Path.GetDirectoryName(LockPath(id))!);
        var held = TransferLockRegistry.TryClaim(LockPath(id));
        if (held is null) return null;
        try
        {
            var infoPath = InfoPath(id);
            DeleteIfExists(infoPath); // left by a dead transfer (its lock is ours now)
            WriteAtomically(infoPath, info);
            return new ActiveTransfer(this, id, held, info);
        }
        catch
        {
            TransferLockRegistry.Release(held, unlink: true);
            throw;
        }
    }

    /// <summary>True when the transfer's lock is held, by any process (this one included).</summary>
    public bool IsRunning(TransferId id) => TransferLockRegistry.Probe(LockPath(id)).Running;

    /// <summary>True when any process holds a transfer lock (either direction, any remote) for the key file name <paramref name="keyFile"/>.</summary>
    public bool IsAnyRunning(string keyFile)
    {
        foreach (var direction in new[] { TransferDirection.Upload, TransferDirection.Download })
            foreach (var uuidDir in SafeList(() => Directory.GetDirectories(Path.Combine(TransferDir, TransferId.DirectionFolder(direction)))))
                if (TransferLockRegistry.Probe(Path.Combine(uuidDir, "lck." + keyFile)).Running) return true;
        return false;
    }

    /// <summary>
    /// Every transfer info file, running or not: Running when its lock is held (Pid: the holder per F_GETLK, or this
    /// process for its own). Records that are not running are dead transfers (see <see cref="RecoverDead"/>).
    /// An unreadable record is logged and left out, as git-annex leaves it out.
    /// </summary>
    public IReadOnlyList<TransferState> List()
    {
        var result = new List<TransferState>();
        foreach (var (id, path) in Enumerate(TransferDir))
        {
            var lockPath = LockPath(id);
            var (running, pid) = TransferLockRegistry.Probe(lockPath);
            if (!running && !File.Exists(lockPath) && IsYoung(path)) continue;
            if (ReadTolerant(path) is not { } info) continue;
            result.Add(new TransferState(id, info, running, pid, path));
        }
        return result;
    }

    /// <summary>The failed transfers recorded under <c>transfer/failed</c> (never running).</summary>
    public IReadOnlyList<TransferState> ListFailed()
    {
        var result = new List<TransferState>();
        foreach (var (id, path) in Enumerate(FailedDir))
            if (ReadTolerant(path) is { } info) result.Add(new TransferState(id, info, false, null, path));
        return result;
    }

    /// <summary>
    /// Dead transfers (info file whose lock nobody holds: the process was killed) are moved to <c>failed/</c>, to be
    /// retried later, and their lock files removed. Takes each lock while doing so, so a transfer that starts meanwhile
    /// is never touched. Returns how many were recovered.
    /// </summary>
    public int RecoverDead()
    {
        var recovered = 0;
        foreach (var (id, path) in Enumerate(TransferDir).ToList())
        {
            var lockPath = LockPath(id);
            if (TransferLockRegistry.IsHeld(lockPath)) continue;
            if (!File.Exists(lockPath) && IsYoung(path)) continue;
            var held = TransferLockRegistry.TryClaim(lockPath);
            if (held is null) continue; // running
            try
            {
                if (!File.Exists(path)) continue; // it finished just before we looked
                var failed = FailedPath(id);
                _repo.CreateFolderInGitDir(Path.GetDirectoryName(failed)!);
                var errno = NativeFileSystem.TryRename(path, failed); // byte for byte what the dead process wrote
                if (errno == 0)
                {
                    recovered++;
                    _logger.LogInformation("Dead transfer {Transfer} recorded as failed", id);
                }
                else if (errno != 2 /* ENOENT */)
                {
                    throw new IOException($"cannot move '{path}' to '{failed}': errno {errno}");
                }
            }
            finally
            {
                TransferLockRegistry.Release(held, unlink: true);
            }
        }
        return recovered;
    }

    /// <summary>Forgets a failed record (e.g. when the transfer is queued again). True if there was one.</summary>
    public bool RemoveFailed(TransferId id) => DeleteIfExists(FailedPath(id));

    internal void WriteAtomically(string path, TransferInfo info)
    {
        var dir = Path.GetDirectoryName(path)!;
        // A repository on a drive that was just unmounted: its path now leads into the empty mount point, where
        // creating folders would leave a fake repository on the host's disk.
        _repo.CreateFolderInGitDir(dir);
        // Starts with '.', so neither git-annex nor we parse it as a key while it exists.
        var temp = Path.Combine(dir, $".tether-tmp.{Environment.ProcessId}.{Interlocked.Increment(ref _tempCounter)}");
        try
        {
            File.WriteAllBytes(temp, info.ToBytes());
            NativeFileSystem.Rename(temp, path);
        }
        catch
        {
            DeleteIfExists(temp);
            throw;
        }
    }

    internal static bool DeleteIfExists(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException) { return false; }
    }

    /// <summary>Records under transfer/ (or transfer/failed/): {upload,download}/&lt;uuid&gt;/&lt;keyfile&gt;, lock and temp files skipped.</summary>
    private static IEnumerable<(TransferId Id, string Path)> Enumerate(string root)
    {
        foreach (var direction in new[] { TransferDirection.Upload, TransferDirection.Download })
        {
            var directionDir = Path.Combine(root, TransferId.DirectionFolder(direction));
            foreach (var uuidDir in SafeList(() => Directory.GetDirectories(directionDir)))
            {
                var uuid = Path.GetFileName(uuidDir);
                if (!TransferId.IsValidUuid(uuid)) continue;
                foreach (var file in SafeList(() => Directory.GetFiles(uuidDir)))
                {
                    var name = Path.GetFileName(file);
                    if (name.StartsWith("lck.", StringComparison.Ordinal)) continue;
                    if (!KeyFileName.TryUnescape(name, out var key) || KeyFileName.Escape(key) != name) continue;
                    if (!LooksLikeRealKey(key)) continue;
                    yield return (new TransferId(direction, uuid, key), file);
                }
            }
        }
    }

    private static string[] SafeList(Func<string[]> list)
    {
        try { return list(); }
        catch (DirectoryNotFoundException) { return []; }
    }

    /// <summary>
    /// A hash key's name is its hex digest (plus an extension for *E backends). git-annex's temp files carry the key
    /// file name cut short plus pid and counter, which never has a digest of the right length: skipped.
    /// </summary>
    internal static bool LooksLikeRealKey(Key key)
    {
        var expected = Key.HashAlgorithmFor(key.Backend) is { } algorithm ? HashBackends.HexLength(algorithm) : -1;
        if (expected < 0) return true;
        var hex = key.HashHex!;
        return hex.Length == expected && hex.All(char.IsAsciiHexDigit);
    }

    // File ages are the file system's clock, not the store's TimeProvider.
    private static bool IsYoung(string path)
    {
        try { return DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < OrphanGrace; }
        catch (IOException) { return true; }
    }

    /// <summary>
    /// Reads an info file; null if it vanished or stays unreadable. git-annex rewrites progress in place (truncate, then
    /// write), so an empty or torn read is retried a few times before it counts as bad.
    /// </summary>
    private TransferInfo? ReadTolerant(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return TransferInfo.Read(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (TransferRecordFormatException e)
            {
                if (attempt < 3) { Thread.Sleep(5); continue; }
                _logger.LogWarning("Skipping unreadable transfer record: {Error}", e.Message);
                return null;
            }
        }
    }
}
