using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// Turns a work-tree file into an annexed, locked file (git-annex's layout). Crash-safe by ordering:
/// (1) lock the file down (write bits off, as git-annex does, so no new writer can open it) and hash it,
/// checking it did not change meanwhile; (2) hard-link it into the object store (atomic);
/// (3) journal the location log; (4) atomically rename a symlink over the file. A kill at any point leaves
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
        if (before is null) return new IngestOutcome.Vanished(relativePath);
        var originalMode = LockDown(path);
        Key key;
        try { key = await KeyHasher.ComputeSha256EAsync(path, relativePath, ct); }
        catch (FileNotFoundException) { return new IngestOutcome.Vanished(relativePath); }
        catch { Restore(path, originalMode); throw; }
        if (Snapshot(path) != before)
        {
            Restore(path, originalMode);
            return new IngestOutcome.Unstable(relativePath);
        }

        var linkedIn = false;
        var recorded = false;
        try
        {
            linkedIn = await _store.LinkInAsync(key, path, ct);
            await _branch.RecordLocationAsync(key, _uuid, LocationStatus.Present, ct);
            recorded = true;
            ReplaceWithLink(relativePath, path, key);
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

    private void ReplaceWithLink(string relativePath, string path, Key key)
    {
        var target = AnnexLink.TargetFor(relativePath, key);
        var tmp = Path.Combine(Path.GetDirectoryName(path)!, $".tether-link-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(tmp, target);
        try { NativeFileSystem.Rename(tmp, path); }
        catch { File.Delete(tmp); throw; }
    }

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
