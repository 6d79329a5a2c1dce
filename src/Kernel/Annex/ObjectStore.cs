using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// The key/value store under annex/objects, in git-annex's layout: non-bare repositories use the
/// mixed hash dirs, bare ones the lower; reading tries both. Objects are 0444 in 0555 key folders.
/// </summary>
public sealed class ObjectStore
{
    private const UnixFileMode ObjectMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode KeyDirMode = ObjectMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode WritableDirMode = KeyDirMode | UnixFileMode.UserWrite;

    private readonly AnnexRepository _repo;

    private readonly Lazy<bool> _thin;

    public ObjectStore(AnnexRepository repo)
    {
        _repo = repo;
        _thin = new Lazy<bool>(() => ReadThin(repo));
    }

    /// <summary>annex.thin (mirrored from the config into git's): unlocked files share their inode with their object.</summary>
    public bool IsThin => _thin.Value;

    /// <summary>Where new content for the key is put.</summary>
    public string PathFor(Key key) => PathIn(_repo.IsBare ? HashDirs.Lower(key) : HashDirs.Mixed(key), key);

    /// <summary>
    /// The path of the key's content if present here, else null. Only a regular file reached through real folders
    /// counts: a symlink, FIFO, device or folder at the key's path, or a symlinked folder on the way, is not content
    /// (a remote's store or a drive may be written by someone else).
    /// </summary>
    public string? FindContent(Key key)
    {
        foreach (var relative in RelativePaths(key))
            if (NoFollowFile.IsRegularBelow(_repo.ObjectsDir, relative)) return Path.Combine(_repo.ObjectsDir, relative);
        return null;
    }

    /// <summary>
    /// Opens the key's content for reading without following links (see <see cref="NoFollowFile"/>); <paramref name="length"/>
    /// is its size, which callers read no further than. A size other than the key's is refused here, naming the key and
    /// <paramref name="owner"/> (who holds this store, for messages): the copy could only fail verification, after
    /// reading whatever the file holds.
    /// </summary>
    public FileStream OpenContent(Key key, string owner, out long length)
    {
        IOException? refused = null;
        foreach (var relative in RelativePaths(key))
        {
            FileStream stream;
            try { stream = NoFollowFile.OpenRegular(_repo.ObjectsDir, relative, out length); }
            catch (FileNotFoundException) { continue; }
            catch (IOException e) { refused ??= new IOException($"the object of {key} in {owner} is refused: {e.Message}", e); continue; }
            if (key.Size is not { } size || size == length) return stream;
            stream.Dispose();
            throw new IOException($"the object of {key} in {owner} is {length} bytes, but the key says {size}; refused");
        }
        throw refused ?? new FileNotFoundException($"{owner} does not have {key}");
    }

    /// <summary>
    /// Whether a regular file of the key's size is its content here (for a store someone else may write: a remote's,
    /// a drive's): false when nothing is at the key's paths, and an <see cref="IOException"/> naming the key,
    /// <paramref name="owner"/> and what is there when it is anything else, so the user learns why it is not fetched.
    /// </summary>
    public bool HasReadableContent(Key key, string owner)
    {
        try
        {
            using var content = OpenContent(key, owner, out _);
            return true;
        }
        catch (FileNotFoundException) { return false; }
    }

    public bool Contains(Key key) => FindContent(key) is not null;

    /// <summary>Where a download of the key lands until verified (git-annex: annex/tmp/&lt;keyfile&gt;).</summary>
    public string TmpPathFor(Key key) => Path.Combine(_repo.TmpDir, KeyFileName.Escape(key));

    /// <summary>
    /// Hard-links an existing file in as the key's object (atomic: the object name appears whole or not at all),
    /// copying through tmp only when the file lives on another filesystem. Returns false if the object already existed.
    /// </summary>
    public async Task<bool> LinkInAsync(Key key, string sourceFile, CancellationToken ct)
    {
        if (Contains(key)) return false;
        var target = PathFor(key);
        var keyDir = PrepareKeyDir(_repo, target);
        var errno = NativeFileSystem.TryHardLink(sourceFile, target);
        if (errno == NativeFileSystem.EEXIST) { SealKeyDir(keyDir); return false; }
        if (errno != 0)
        {
            var tmp = TmpPathFor(key) + ".ingest";
            _repo.CreateFolderInGitDir(_repo.TmpDir);
            try
            {
                await CopyDurablyAsync(sourceFile, tmp, ct);
                NativeFileSystem.Rename(tmp, target);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                File.Delete(tmp); // a full disk (or a stop) leaves no partial copy, nor an empty key folder
                DeleteIfEmpty(keyDir);
                throw;
            }
        }
        File.SetUnixFileMode(target, ObjectMode);
        SealKeyDir(keyDir);
        return true;
    }

    /// <summary>Moves a verified file (usually from <see cref="TmpPathFor"/>) into the store.</summary>
    public void InstallVerified(Key key, string verifiedFile)
    {
        if (Contains(key)) { File.Delete(verifiedFile); return; }
        var target = PathFor(key);
        var keyDir = PrepareKeyDir(_repo, target);
        File.SetUnixFileMode(verifiedFile, ObjectMode);
        NativeFileSystem.Rename(verifiedFile, target);
        _repo.VerifiedObjects.Remember(key, FileIdentity.StampOf(target));
        SealKeyDir(keyDir);
    }

    /// <summary>
    /// Installs a hard link to an unlocked work-tree file as the key's object (annex.thin): its mode is left alone, as it is
    /// the user's file too. The caller hashed the file through <paramref name="linkedFile"/> and checked it did not change.
    /// </summary>
    public void InstallShared(Key key, string linkedFile)
    {
        if (Contains(key)) { File.Delete(linkedFile); return; }
        var target = PathFor(key);
        var keyDir = PrepareKeyDir(_repo, target);
        NativeFileSystem.Rename(linkedFile, target);
        SealKeyDir(keyDir);
    }

    /// <summary>
    /// annex.thin: makes <paramref name="destination"/> a hard link to the key's object (made writable, being a work-tree
    /// file now), when the store is thin and no other file shares the object yet; false means copy it instead.
    /// </summary>
    public bool TryLinkOut(Key key, string destination)
    {
        if (!IsThin || FindContent(key) is not { } path || FileIdentity.LinkCount(path) != 1) return false;
        File.SetUnixFileMode(path, ObjectMode | UnixFileMode.UserWrite);
        return NativeFileSystem.TryHardLink(path, destination) == 0;
    }

    /// <summary>
    /// annex.thin: the key's object is this work-tree file (one inode), which was edited in place, so the object no longer
    /// holds the key's content. It is removed here (true); other nodes keep that version.
    /// </summary>
    public bool ForgetEditedInPlace(Key key, string workTreeFile)
    {
        if (FindContent(key) is not { } path || FileIdentity.OfPath(path) is not { } objectFile || FileIdentity.OfPath(workTreeFile) != objectFile) return false;
        Remove(key);
        return true;
    }

    /// <summary>annex.thin: an object no work-tree file shares any more (its file was locked) is made read-only again.</summary>
    public void SealIfUnshared(Key key)
    {
        if (FindContent(key) is { } path && FileIdentity.LinkCount(path) == 1) File.SetUnixFileMode(path, ObjectMode);
    }

    private static bool ReadThin(AnnexRepository repo)
    {
        try
        {
            using var git = repo.OpenGit();
            return git.Config.Get<bool>("annex.thin")?.Value == true;
        }
        catch (LibGit2Sharp.LibGit2SharpException) { return false; }
    }

    /// <summary>Where a bad object is kept (git annex fsck's place): .git/annex/bad/KEY.</summary>
    public string BadPathFor(Key key) => Path.Combine(_repo.AnnexDir, "bad", KeyFileName.Escape(key));

    /// <summary>
    /// Moves the key's content out of the store into <see cref="BadPathFor"/> (as git annex fsck does with an object that
    /// fails its check): kept for the user to look at, never served again.
    /// </summary>
    public void Quarantine(Key key)
    {
        if (FindContent(key) is not { } path) return;
        var keyDir = Path.GetDirectoryName(path)!;
        File.SetUnixFileMode(keyDir, WritableDirMode);
        if (IsThin && FileIdentity.LinkCount(path) > 1)
        {
            Remove(key); // annex.thin: the object is a work-tree file edited in place, the user's newer version, not a corruption to keep
            return;
        }
        _repo.CreateFolderInGitDir(Path.Combine(_repo.AnnexDir, "bad"));
        NativeFileSystem.Rename(path, BadPathFor(key));
        Remove(key); // the folders, and a copy in the other layout
    }

    /// <summary>Removes the key's content (both layouts); the empty hash folders go too.</summary>
    public void Remove(Key key)
    {
        while (FindContent(key) is { } path)
        {
            var keyDir = Path.GetDirectoryName(path)!;
            File.SetUnixFileMode(keyDir, WritableDirMode);
            File.Delete(path);
            Directory.Delete(keyDir);
            DeleteIfEmpty(Path.GetDirectoryName(keyDir)!);
            DeleteIfEmpty(Path.GetDirectoryName(Path.GetDirectoryName(keyDir)!)!);
        }
    }

    /// <summary>Every key with content here (both layouts).</summary>
    public IEnumerable<Key> EnumerateKeys()
    {
        if (!Directory.Exists(_repo.ObjectsDir)) yield break;
        foreach (var keyDir in Directory.EnumerateDirectories(_repo.ObjectsDir, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
        {
            var name = Path.GetFileName(keyDir);
            if (Path.GetRelativePath(_repo.ObjectsDir, keyDir).Count(c => c == '/') == 2
                && KeyFileName.TryUnescape(name, out var key) && NoFollowFile.IsRegularBelow(_repo.ObjectsDir, Path.GetRelativePath(_repo.ObjectsDir, Path.Combine(keyDir, name))))
                yield return key;
        }
    }

    private string PathIn(string hashDirs, Key key) => Path.Combine(_repo.ObjectsDir, RelativePath(hashDirs, key));

    private static string RelativePath(string hashDirs, Key key)
    {
        var keyFile = KeyFileName.Escape(key);
        return $"{hashDirs}{keyFile}/{keyFile}";
    }

    /// <summary>The key's paths below annex/objects: this repository's layout first, then the other.</summary>
    private IEnumerable<string> RelativePaths(Key key)
    {
        var (first, second) = _repo.IsBare ? (HashDirs.Lower(key), HashDirs.Mixed(key)) : (HashDirs.Mixed(key), HashDirs.Lower(key));
        return [RelativePath(first, key), RelativePath(second, key)];
    }

    private static string PrepareKeyDir(AnnexRepository repo, string objectPath)
    {
        var keyDir = Path.GetDirectoryName(objectPath)!;
        repo.CreateFolderInGitDir(keyDir);
        File.SetUnixFileMode(keyDir, WritableDirMode);
        return keyDir;
    }

    private static void SealKeyDir(string keyDir) => File.SetUnixFileMode(keyDir, KeyDirMode);

    private static void DeleteIfEmpty(string dir)
    {
        if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
    }

    internal static async Task CopyDurablyAsync(string source, string destination, CancellationToken ct)
    {
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        {
            await input.CopyToAsync(output, ct);
            output.Flush(flushToDisk: true);
        }
    }
}
