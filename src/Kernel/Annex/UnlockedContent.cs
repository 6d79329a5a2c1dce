using LibGit2Sharp;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Platform.Hashing;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// Puts an unlocked file's content in the work tree when it arrives (a pointer file becomes the file), never over what
/// the user saved: the content is written beside the file, swapped in atomically (RENAME_EXCHANGE), and what came out
/// is checked to be the pointer; anything else goes back. The index then gets the new file's stat, so the committer and
/// `git status` see no change.
/// </summary>
internal static class UnlockedContent
{
    /// <summary>Fills <paramref name="relative"/> with <paramref name="key"/>'s content if it is that key's pointer file; true when it did.</summary>
    public static bool Populate(AnnexRepository repo, string relative, Key key)
    {
        var absolute = repo.WorkPath(relative);
        if (!HoldsPointerTo(absolute, key)) return false;
        var store = new ObjectStore(repo);
        var placed = Path.Combine(Path.GetDirectoryName(absolute)!, $".tether-get-{Guid.NewGuid():N}");
        try
        {
            if (!CopyObject(store, key, placed)) return false;
            File.SetUnixFileMode(placed, File.GetUnixFileMode(absolute));
            if (NativeFileSystem.TryExchange(placed, absolute) != 0) return false;
            if (!HoldsPointerTo(placed, key))
            {
                NativeFileSystem.TryExchange(placed, absolute); // a save landed meanwhile: it is the user's, back at its name
                return false;
            }
        }
        finally
        {
            if (File.Exists(placed)) File.Delete(placed);
        }
        RefreshIndex(repo, relative, key);
        return true;
    }

    /// <summary>
    /// Turns an unlocked file back into its pointer file (its content dropped here): only when it still holds the key's
    /// content, swapped atomically, and a save that lands meanwhile is swapped back. True when the pointer is in place.
    /// </summary>
    public static bool Depopulate(AnnexRepository repo, string relative, Key key)
    {
        var absolute = repo.WorkPath(relative);
        using var git = repo.OpenGit();
        if (PointerStaging.IndexedKey(git, relative) != key || !HoldsContentOf(absolute, key)) return false;
        var placed = Path.Combine(Path.GetDirectoryName(absolute)!, $".tether-drop-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(placed, AnnexLink.PointerFor(key));
            File.SetUnixFileMode(placed, File.GetUnixFileMode(absolute));
            if (NativeFileSystem.TryExchange(placed, absolute) != 0) return false;
            if (!HoldsContentOf(placed, key))
            {
                NativeFileSystem.TryExchange(placed, absolute); // saved meanwhile: the user's file goes back
                return false;
            }
        }
        finally
        {
            if (File.Exists(placed)) File.Delete(placed);
        }
        git.Index.Add(relative); // the pointer file as it is, with its stat
        git.Index.Write();
        return true;
    }

    /// <summary>
    /// Copies the key's object (a reflink where the filesystem can; with annex.thin a hard link when no other file shares
    /// the object) to a new file; false when it is not here.
    /// </summary>
    public static bool CopyObject(ObjectStore store, Key key, string destination)
    {
        if (store.TryLinkOut(key, destination)) return true;
        FileStream source;
        try { source = store.OpenContent(key, "this repository", out _); }
        catch (IOException) { return false; }
        using (source)
        using (var copy = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            if (NativeFileSystem.TryClone(source.SafeFileHandle, copy.SafeFileHandle) != 0) source.CopyTo(copy, 1 << 20);
            copy.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(destination, File.GetUnixFileMode(destination) | UnixFileMode.UserWrite);
        return true;
    }

    /// <summary>True when the work-tree file is unchanged content of <paramref name="key"/> (hashed when its size matches).</summary>
    public static bool HoldsContentOf(string absolute, Key key)
    {
        var stat = WorkTreeStat.Of(absolute);
        if (stat is null || key.Size is { } size && stat.Value.Length != size) return false;
        try { return KeyHasher.Verify(key, absolute); }
        catch (Exception e) when (e is IOException or UnverifiableContentException) { return false; }
    }

    private static bool HoldsPointerTo(string absolute, Key key)
    {
        var stat = WorkTreeStat.Of(absolute);
        return stat is not null && PointerStaging.TryReadPointerFile(absolute, stat.Value.Length, out var named) && named == key;
    }

    /// <summary>Best effort: a commit holding the index now only means git looks at the file once more.</summary>
    private static void RefreshIndex(AnnexRepository repo, string relative, Key key)
    {
        try
        {
            using var git = repo.OpenGit();
            if (PointerStaging.IndexedKey(git, relative) != key) return;
            PointerStaging.StagePlaced(git, repo, relative, key);
            git.Index.Write();
        }
        catch (LibGit2SharpException) { }
    }
}
