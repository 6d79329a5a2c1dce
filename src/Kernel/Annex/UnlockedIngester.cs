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
    private const long WriteBackChunk = 16L << 20;

    /// <param name="previous">The key the index has at the path (the version before this one), if any.</param>
    public async Task<(IngestOutcome Outcome, WorkTreeStat? Stat)> IngestAsync(string relativePath, Key? previous, CancellationToken ct)
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
            var thin = store.IsThin;
            try { (hex, size) = thin ? await LinkAndHashAsync(path, tmp, ct) : await CopyAndHashAsync(path, tmp, ct); }
            catch (FileNotFoundException) { return (new IngestOutcome.Vanished(relativePath), null); }
            if (WorkTreeStat.Of(path) != before || size != before.Value.Length) return (new IngestOutcome.Unstable(relativePath), null);
            var key = new Key(KeyHasher.DefaultBackend, hex + KeyExtension.For(relativePath), size);
            if (previous is not null && previous != key && store.ForgetEditedInPlace(previous, path))
                await branch.RecordLocationAsync(previous, uuid, LocationStatus.Absent, ct); // annex.thin: that version was edited away here
            if (thin) store.InstallShared(key, tmp);
            else store.InstallVerified(key, tmp);
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

    /// <summary>annex.thin: the object is a hard link to the file itself (same inode), hashed through it.</summary>
    private static async Task<(string Hex, long Size)> LinkAndHashAsync(string path, string tmp, CancellationToken ct)
    {
        var errno = NativeFileSystem.TryHardLink(path, tmp);
        if (errno == NativeFileSystem.ENOENT) throw new FileNotFoundException(path);
        if (errno != 0) return await CopyAndHashAsync(path, tmp, ct); // .git on another filesystem: a copy, as without thin
        await using var linked = new FileStream(tmp, new FileStreamOptions
        {
            Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
        });
        using var hash = ContentHash.Create("SHA256");
        var size = await HashAsync(linked, hash, ct);
        return (hash.HexAndReset(), size);
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
        var size = NativeFileSystem.TryClone(source.SafeFileHandle, copy.SafeFileHandle) == 0
            ? await HashAsync(copy, hash, ct)
            : await CopyWhileHashingAsync(source, copy, hash, ct);
        copy.Flush(flushToDisk: true); // the object must be whole on disk before any commit names it
        return (hash.HexAndReset(), size);
    }

    private static async Task<long> HashAsync(Stream reading, ContentHash hash, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await reading.ReadAsync(buffer, ct)) > 0)
        {
            hash.Append(buffer, 0, read);
            size += read;
        }
        return size;
    }

    /// <summary>
    /// One read of the file: each block is written to the copy while it is hashed (two buffers take turns), and the disk
    /// starts writing the copy behind us, so the whole costs about the slower of hashing and writing, not their sum.
    /// </summary>
    private static async Task<long> CopyWhileHashingAsync(FileStream source, FileStream copy, ContentHash hash, CancellationToken ct)
    {
        byte[] current = new byte[BufferSize], next = new byte[BufferSize];
        long size = 0, writtenBack = 0;
        var read = await source.ReadAsync(current, ct);
        while (read > 0)
        {
            var writing = copy.WriteAsync(current.AsMemory(0, read), ct).AsTask();
            hash.Append(current, 0, read);
            var reading = source.ReadAsync(next, ct).AsTask();
            await writing;
            size += read;
            if (size - writtenBack >= WriteBackChunk)
            {
                NativeFileSystem.StartWriteBack(copy.SafeFileHandle, writtenBack, size - writtenBack);
                writtenBack = size;
            }
            read = await reading;
            (current, next) = (next, current);
        }
        return size;
    }
}
