using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Platform.Hashing;

namespace Tether.Kernel.Annex;

/// <summary>
/// Turns a work-tree file into an annexed, locked file (git-annex's layout). Crash-safe by ordering:
/// (1) lock the file down (write bits off, as git-annex does, so no new writer can open it) and hash it,
/// checking it did not change meanwhile; (2) hard-link it into the object store (atomic);
/// (3) journal the location log; (4) atomically swap a symlink in for the file (a save made over it since is swapped back). A kill at any point leaves
/// the file whole (as itself or as a link to a complete object); the next scan finishes the job.
/// </summary>
public sealed class Ingester
{
    private readonly AnnexRepository _repo;
    private readonly ObjectStore _store;
    private readonly GitAnnexBranch _branch;
    private readonly string _uuid;

    public Ingester(AnnexRepository repo, ObjectStore store, GitAnnexBranch branch, string uuid)
    {
        _repo = repo; _store = store; _branch = branch; _uuid = uuid;
    }

    public async Task<IngestOutcome> IngestAsync(string relativePath, CancellationToken ct)
    {
        var path = _repo.WorkPath(relativePath);
        var before = Snapshot(path);
        var hashed = FileIdentity.OfPath(path);
        if (before is null || hashed is null) return new IngestOutcome.Vanished(relativePath);
        var originalMode = LockDown(path);
        Key key;
        try { key = await KeyHasher.ComputeSha256EAsync(path, relativePath, ct); }
        catch (FileNotFoundException) { return new IngestOutcome.Vanished(relativePath); }
        catch { Restore(path, originalMode); throw; }
        if (Snapshot(path) != before || FileIdentity.OfPath(path) != hashed)
        {
            Restore(path, originalMode);
            return new IngestOutcome.Unstable(relativePath);
        }

        var linkedIn = false;
        var recorded = false;
        try
        {
            BeforeLinkIn?.Invoke();
            linkedIn = await _store.LinkInAsync(key, path, ct);
            if (linkedIn && !await IsWhatWasHashedAsync(key, hashed.Value, ct))
            {
                _store.Remove(key); // a save replaced the file between the check and the link: its own ingest comes next
                return new IngestOutcome.Unstable(relativePath);
            }
            await _branch.RecordLocationAsync(key, _uuid, LocationStatus.Present, ct);
            recorded = true;
            BeforeReplace?.Invoke();
            switch (ReplaceWithLink(relativePath, path, key, before.Value))
            {
                case Replaced.Vanished: return new IngestOutcome.Vanished(relativePath);
                case Replaced.SavedOver: return new IngestOutcome.Unstable(relativePath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file is still itself: give it its mode back, and take back an object no location log names.
            Restore(path, originalMode);
            if (linkedIn && !recorded) _store.Remove(key);
            if (DiskFull.Is(e))
                throw new DiskFullException($"no space left on the device of {_repo.DisplayPath} while annexing {relativePath}: it was left as it was; free some space, then sync again", e);
            throw;
        }
        return new IngestOutcome.Annexed(relativePath, key);
    }

    /// <summary>
    /// The object just linked in is the file that was hashed: the same inode (a hard link), or, where it had to be copied
    /// across filesystems, content that hashes to the key. Found by the fuzz (seed 1477730708): an atomic save landing
    /// between the hash and the hard link put the new file's inode in the store under the old file's key.
    /// </summary>
    private async Task<bool> IsWhatWasHashedAsync(Key key, FileIdentity.Id hashed, CancellationToken ct)
    {
        var installed = _store.FindContent(key);
        if (installed is null) return false;
        return FileIdentity.OfPath(installed) == hashed || await KeyHasher.VerifyAsync(key, installed, ct);
    }

    /// <summary>For tests: runs just before the file is replaced by its link (a user saving over it then).</summary>
    internal Action? BeforeReplace { get; init; }

    /// <summary>For tests: runs between the last look at the hashed file and its hard link into the store.</summary>
    internal Action? BeforeLinkIn { get; init; }

    private enum Replaced { Done, Vanished, SavedOver }

    /// <summary>
    /// Swaps the link in for the file atomically (RENAME_EXCHANGE), then looks at what came out: a file saved over the
    /// path since it was hashed (an editor's atomic save, found by review of the fuzz's windows) is swapped back, never
    /// replaced; its own ingest comes next. Where the filesystem cannot exchange, a plain rename after a last check.
    /// </summary>
    private static Replaced ReplaceWithLink(string relativePath, string path, Key key, (long Length, DateTime Modified) hashed)
    {
        var target = AnnexLink.TargetFor(relativePath, key);
        var tmp = Path.Combine(Path.GetDirectoryName(path)!, $".tether-link-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(tmp, target);
        var tmpHoldsTheirFile = false;
        try
        {
            var errno = NativeFileSystem.TryExchange(tmp, path);
            if (errno == 0)
            {
                if (Snapshot(tmp) == hashed) return Replaced.Done;
                // The user's file back at its name, our link back at tmp; if the name went meanwhile, the file goes back.
                tmpHoldsTheirFile = NativeFileSystem.TryExchange(tmp, path) != 0 && NativeFileSystem.TryRename(tmp, path) != 0;
                return Replaced.SavedOver;
            }
            if (!WorkTreeEntryExists(path)) return Replaced.Vanished;
            if (Snapshot(path) != hashed) return Replaced.SavedOver;
            NativeFileSystem.Rename(tmp, path);
            return Replaced.Done;
        }
        finally
        {
            if (!tmpHoldsTheirFile && WorkTreeEntryExists(tmp)) File.Delete(tmp);
        }
    }

    private static bool WorkTreeEntryExists(string path) => File.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private const UnixFileMode WriteBits = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Removes the write bits; returns the mode to restore, or null if it could not be changed.</summary>
    private static UnixFileMode? LockDown(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            File.SetUnixFileMode(path, mode & ~WriteBits);
            return mode;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { return null; }
    }

    private static void Restore(string path, UnixFileMode? mode)
    {
        if (mode is null) return;
        try { File.SetUnixFileMode(path, mode.Value); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { }
    }

    private static (long Length, DateTime Modified)? Snapshot(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null ? (info.Length, info.LastWriteTimeUtc) : null;
    }
}
