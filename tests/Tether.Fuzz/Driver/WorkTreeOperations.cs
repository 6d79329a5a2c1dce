namespace Tether.Fuzz.Driver;

/// <summary>
/// What a user does to a work tree, each done so the ledger knows exactly which content it wrote and which it destroyed
/// (see <see cref="ContentLedger"/>). Every method returns false when the operation did not apply (the path vanished
/// or appeared meanwhile: a daemon merged), and then destroys nothing.
/// </summary>
public sealed class WorkTreeOperations(ContentLedger ledger, string trashFolder)
{
    public const string EditorTempMarker = ".goutputstream-";

    private int _trashCounter;

    /// <summary>A new file; false if the name exists.</summary>
    public bool Create(string root, string relative, byte[] content, string description)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            file.Write(content);
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path)) { return false; }
        RecordWrite(path, content, description, destroyed: null);
        return true;
    }

    /// <summary>Rewrites (or appends to) a plain file in place through one descriptor; what it held before is destroyed.</summary>
    public bool WriteInPlace(string root, string relative, Func<byte[], byte[]> newContent, string description)
    {
        var path = Path.Combine(root, relative);
        if (new FileInfo(path).LinkTarget is not null || !File.Exists(path)) return false;
        byte[] content;
        string old;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            var before = new byte[file.Length];
            file.ReadExactly(before);
            old = EntryContents.Hash(before);
            content = newContent(before);
            file.Position = 0;
            file.SetLength(0);
            file.Write(content);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException) { return false; }
        RecordWrite(path, content, description, destroyed: old);
        return true;
    }

    /// <summary>An editor's save: the new version is written to a temp file beside it, then renamed over the file.</summary>
    public bool AtomicSave(string root, string relative, byte[] content, string description)
    {
        var path = Path.Combine(root, relative);
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder)) return false;
        var temp = Path.Combine(folder, $"{EditorTempMarker}{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}"); // as GIO (GNOME) names it
        try { File.WriteAllBytes(temp, content); }
        catch (DirectoryNotFoundException) { return false; }
        var kept = NextTrashPath();
        var replaces = NativeRename.TryHardLink(path, kept);
        try { File.Move(temp, path, overwrite: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            if (replaces) File.Delete(kept);
            return false;
        }
        var old = replaces ? EntryContents.HashOf(kept) : null;
        if (replaces) File.Delete(kept);
        RecordWrite(path, content, description, old);
        return true;
    }

    /// <summary>Deletes a file or folder: renamed out of the work tree first, so what it held is known exactly.</summary>
    public bool Delete(string root, string relative, string description)
    {
        var trash = NextTrashPath();
        if (!NativeRename.TryRenameNoReplace(Path.Combine(root, relative), trash)) return false;
        foreach (var hash in EntryContents.AllUnder(trash)) ledger.Destroyed(hash, description);
        RemoveTree(trash);
        return true;
    }

    /// <summary>Renames a file or folder within the work tree (never replacing); content moves, nothing is destroyed.</summary>
    public bool Rename(string root, string relative, string newRelative)
    {
        var target = Path.Combine(root, newRelative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return NativeRename.TryRenameNoReplace(Path.Combine(root, relative), target);
    }

    private void RecordWrite(string path, byte[] content, string description, string? destroyed)
    {
        var hash = EntryContents.Hash(content);
        if (EntryContents.HashOf(path) == hash)
        {
            ledger.Landed(hash, description);
            if (destroyed is not null && destroyed != hash) ledger.Destroyed(destroyed, description);
        }
        else ledger.NotLanded(hash, description);
    }

    private string NextTrashPath() => Path.Combine(trashFolder, $"t{Interlocked.Increment(ref _trashCounter)}");

    private static void RemoveTree(string path)
    {
        if (new FileInfo(path).LinkTarget is null && Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }
}
