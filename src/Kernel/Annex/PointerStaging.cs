using System.Text;
using LibGit2Sharp;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// Unlocked files in the index: a pointer blob (`/annex/objects/KEY`) with the stat data of the work-tree file that holds
/// the content, so `git status` is clean without reading the file (git-annex v10's layout).
/// </summary>
internal static class PointerStaging
{
    /// <summary>Arguments for the system git that turn its annex filter off (for staging what goes into git as it is).</summary>
    public static readonly string[] NoFilterDriver = ["-c", "filter.annex.process=", "-c", "filter.annex.clean=", "-c", "filter.annex.smudge="];

    /// <summary>
    /// Stages <paramref name="relative"/> as <paramref name="key"/>'s pointer through the annex filter (libgit2 records the
    /// file's stat). False when the file changed since it was hashed (<paramref name="hashed"/>): the pointer is staged
    /// without stat data then, so the new content is looked at again rather than vouched for by the old key.
    /// </summary>
    public static bool Stage(Repository git, AnnexRepository repo, string relative, Key key, WorkTreeStat hashed)
    {
        var absolute = repo.WorkPath(relative);
        var pointer = PointerBlob(git, key);
        using (AnnexFilter.Registered.Expect(absolute, key)) git.Index.Add(relative);
        var staged = git.Index[relative];
        if (staged is not null && staged.Id == pointer.Id && WorkTreeStat.Of(absolute) == hashed) return true;
        git.Index.Add(pointer, relative, staged?.Mode is Mode.ExecutableFile ? Mode.ExecutableFile : Mode.NonExecutableFile);
        return false;
    }

    /// <summary>
    /// Stages content Tether itself just wrote at <paramref name="relative"/> (a merge's version, a download) as
    /// <paramref name="key"/>'s pointer with the file's stat, its modification time set a second back first. Written in
    /// the same coarse clock tick as the index, the entry would be "racily clean": the system git then runs git-annex's
    /// filter on it, which re-keys a file git-annex did not place (a variant's name derives another extension than its
    /// key has) and calls it modified for ever (the fuzz: "uncommitted changes" in git status only). False when the file
    /// is not that content any more.
    /// </summary>
    public static bool StagePlaced(Repository git, AnnexRepository repo, string relative, Key key)
    {
        var absolute = repo.WorkPath(relative);
        if (WorkTreeStat.Of(absolute) is not { } written) return false;
        var backdated = DateTime.UtcNow.AddSeconds(-1);
        if (written.Modified > backdated)
        {
            try { File.SetLastWriteTimeUtc(absolute, backdated); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }
        return WorkTreeStat.Of(absolute) is { } stat && stat.Length == written.Length && Stage(git, repo, relative, key, stat);
    }

    /// <summary>Stages a pointer with no stat data (a pointer file just written, or content just placed): git looks at the file next time.</summary>
    public static void StageWithoutStat(Repository git, string relative, Key key, Mode mode) =>
        git.Index.Add(PointerBlob(git, key), relative, mode);

    public static Blob PointerBlob(Repository git, Key key)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(AnnexLink.PointerFor(key)));
        return git.ObjectDatabase.CreateBlob(content);
    }

    /// <summary>The key of the index's entry at the path when it is an unlocked file's pointer; null otherwise.</summary>
    public static Key? IndexedKey(Repository git, string relative) =>
        git.Index[relative] is { Mode: Mode.NonExecutableFile or Mode.ExecutableFile } entry
        && git.Lookup<Blob>(entry.Id) is { } blob && AnnexedFiles.TryKeyOf(entry.Mode, blob, out var key) ? key : null;

    private static ReadOnlySpan<byte> PointerPrefix => "/annex/objects/"u8;

    /// <summary>True for a work-tree file that is itself a pointer (an unlocked file whose content is not here).</summary>
    public static bool IsPointerFile(string absolute, long length) => TryReadPointerFile(absolute, length, out _);

    /// <summary>The key a work-tree pointer file names; false for any other file (read only when its start says pointer).</summary>
    public static bool TryReadPointerFile(string absolute, long length, out Key key)
    {
        key = null!;
        if (length > AnnexLink.MaxPointerSize || length < 16) return false;
        try
        {
            using var file = new FileStream(absolute, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            Span<byte> start = stackalloc byte[PointerPrefix.Length];
            if (file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) < start.Length || !start.SequenceEqual(PointerPrefix)) return false;
            file.Position = 0;
            var bytes = new byte[length];
            file.ReadExactly(bytes);
            return AnnexLink.TryParsePointer(bytes, out key);
        }
        catch (EndOfStreamException) { return false; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
