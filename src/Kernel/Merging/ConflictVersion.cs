using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Merging;

/// <summary>One side's version of a conflicted path: its blob, mode and key (the annex key, or the key its content would have).</summary>
internal sealed record ConflictVersion(ObjectId Id, byte[] Content, Mode Mode, Key Key, bool IsAnnexed)
{
    public static ConflictVersion Read(Repository git, IndexEntry entry) => Read(git, entry.Id, entry.Mode, entry.Path);

    public static ConflictVersion Read(Repository git, ObjectId id, Mode mode, string path)
    {
        if (mode == Mode.GitLink) // a submodule's commit: not in our object database; named after its id
        {
            var commitId = System.Text.Encoding.ASCII.GetBytes(id.Sha);
            return new ConflictVersion(id, commitId, mode, WorkTreeEntry.ContentKey(commitId, path), false);
        }
        var content = BlobBytes(git, id);
        if (mode == Mode.SymbolicLink && AnnexLink.TryParseTarget(System.Text.Encoding.UTF8.GetString(content), out var linkKey))
            return new ConflictVersion(id, content, mode, linkKey, true);
        if (AnnexLink.TryParsePointer(content, out var pointerKey))
            return new ConflictVersion(id, content, mode, pointerKey, true);
        return new ConflictVersion(id, content, mode, WorkTreeEntry.ContentKey(content, path), false);
    }

    /// <summary>
    /// Stages an unlocked version whose content was just written at <paramref name="relative"/> as its pointer, with the
    /// file's stat; false for anything else (the caller stages it as it does any file).
    /// </summary>
    public bool TryStageUnlockedContent(Repository git, Repositories.AnnexRepository repo, string relative)
    {
        var absolute = repo.WorkPath(relative);
        return IsUnlocked && WorkTreeStat.Of(absolute) is { } stat && !PointerStaging.IsPointerFile(absolute, stat.Length)
            && PointerStaging.StagePlaced(git, repo, relative, Key);
    }

    public static byte[] BlobBytes(Repository git, ObjectId id)
    {
        using var stream = git.Lookup<Blob>(id).GetContentStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>An unlocked annexed file: a pointer in git, the content (when here) in the work tree.</summary>
    public bool IsUnlocked => IsAnnexed && Mode != Mode.SymbolicLink;

    /// <summary>
    /// True when the work-tree entry at <paramref name="absolutePath"/> is this version: byte for byte, or for an unlocked
    /// file its pointer file or its content.
    /// </summary>
    public bool IsAt(string absolutePath) =>
        Mode == Mode.GitLink ? WorkTreeEntry.IsFolder(absolutePath)
        : WorkTreeEntry.Holds(absolutePath, Mode == Mode.SymbolicLink, Content) || IsUnlocked && UnlockedContent.HoldsContentOf(absolutePath, Key);

    /// <summary>Writes this version at the path; an unlocked file gets its content from <paramref name="contentFrom"/> when it is there.</summary>
    public void WriteTo(string absolutePath, ObjectStore? contentFrom = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(absolutePath)!);
        WorkTreeEntry.Delete(absolutePath);
        if (Mode == Mode.GitLink)
        {
            Directory.CreateDirectory(absolutePath); // as git checkout leaves a submodule
            return;
        }
        if (Mode == Mode.SymbolicLink)
        {
            File.CreateSymbolicLink(absolutePath, System.Text.Encoding.UTF8.GetString(Content));
            return;
        }
        if (!(IsUnlocked && contentFrom is not null && UnlockedContent.CopyObject(contentFrom, Key, absolutePath)))
            File.WriteAllBytes(absolutePath, Content);
        if (Mode == Mode.ExecutableFile)
            File.SetUnixFileMode(absolutePath, File.GetUnixFileMode(absolutePath) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
