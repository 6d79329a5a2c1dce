using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Platform.Hashing;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// Annexes an unlocked file: its content goes into the object store as a separate copy (a reflink where the filesystem
/// can share blocks, else a copy made while hashing, one read of the file), and the work-tree file stays the user's,
/// a plain writable file that an edit in place can never turn into a corrupt object. The key is the hash of the copy, so
/// an object always matches its key; a file that changed during the copy (its size, time or inode moved) is left for the
/// next round, the copy discarded.
/// </summary>
internal sealed class UnlockedIngester(AnnexRepository repo, ObjectStore store, GitAnnexBranch branch, string uuid)
{
    private const int BufferSize = 1 << 20;

    public async Task<(IngestOutcome Outcome, WorkTreeStat? Stat)> IngestAsync(string relativePath, CancellationToken ct)
    {
        var path = repo.WorkPath(relativePath);
        var before = WorkTreeStat.Of(path);
        if (before is null) return (new IngestOutcome.Vanished(relativePath), null);
        repo.CreateFolderInGitDir(repo.TmpDir);
        var tmp = Path.Combine(repo.TmpDir, $"ingest-{Guid.NewGuid():N}");
        try
        {
            string hex;
            long size;
            try { (hex, size) = await CopyAndHashAsync(path, tmp, ct); }
            catch (FileNotFoundException) { return (new IngestOutcome.Vanished(relativePath), null); }
            if (WorkTreeStat.Of(path) != before || size != before.Value.Length) return (new IngestOutcome.Unstable(relativePath), null);
            var key = new Key(KeyHasher.DefaultBackend, hex + KeyExtension.For(relativePath), size);
            store.InstallVerified(key, tmp);
            await branch.RecordLocationAsync(key, uuid, LocationStatus.Present, ct);
            return (new IngestOutcome.Annexed(relativePath, key), before);
        }
        catch (Exception e) when (DiskFull.Is(e))
        {
            throw new DiskFullException($"no space left on the device of {repo.DisplayPath} while annexing {relativePath}: it was left as it was; free some space, then sync again", e);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reflinks the file to <paramref name="tmp"/> and hashes the clone, or copies and hashes in one pass.</summary>
    private static async Task<(string Hex, long Size)> CopyAndHashAsync(string path, string tmp, CancellationToken ct)
    {
        await using var source = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
        });
        await using var copy = new FileStream(tmp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, BufferSize = 0, Options = FileOptions.Asynchronous,
        });
        using var hash = ContentHash.Create("SHA256");
        var reflinked = NativeFileSystem.TryClone(source.SafeFileHandle, copy.SafeFileHandle) == 0;
        var reading = reflinked ? (Stream)copy : source;
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await reading.ReadAsync(buffer, ct)) > 0)
        {
            hash.Append(buffer, 0, read);
            if (!reflinked) await copy.WriteAsync(buffer.AsMemory(0, read), ct);
            size += read;
        }
        await copy.FlushAsync(ct);
        copy.Flush(flushToDisk: true); // the object must be whole on disk before any commit names it
        return (hash.HexAndReset(), size);
    }
}
