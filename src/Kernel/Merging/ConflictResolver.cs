using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Merging;

/// <summary>
/// Resolves every conflict of an in-progress merge without losing a version, by git-annex's rules:
/// each conflicting annexed version goes to its variant name; an annexed file facing a plain file or a folder
/// is renamed and the other side keeps the name; modify-vs-delete keeps the modified version under its variant
/// name. Tether also resolves plain-vs-plain (which git-annex leaves alone): both go to variant names, the
/// variant taken from the SHA256E key of the content. Deterministic, so every node resolves alike.
/// </summary>
public sealed class ConflictResolver
{
    private readonly AnnexRepository _repo;

    public ConflictResolver(AnnexRepository repo) => _repo = repo;

    public IReadOnlyList<ResolvedConflict> ResolveAll(Repository git, Commit ours, Commit theirs)
    {
        var resolved = new List<ResolvedConflict>();
        foreach (var conflict in git.Index.Conflicts.ToList())
        {
            var path = (conflict.Ours ?? conflict.Theirs ?? conflict.Ancestor).Path;
            resolved.Add(Resolve(git, path, conflict.Ours, conflict.Theirs, ours, theirs));
        }
        git.Index.Write();
        return resolved;
    }

    private ResolvedConflict Resolve(Repository git, string path, IndexEntry? ours, IndexEntry? theirs, Commit oursCommit, Commit theirsCommit)
    {
        var versions = new[] { ours, theirs }.OfType<IndexEntry>().Select(e => Version.Read(git, e)).ToList();
        var folderOnOtherSide = versions.Count == 1
            && (oursCommit[path]?.TargetType == TreeEntryTargetType.Tree || theirsCommit[path]?.TargetType == TreeEntryTargetType.Tree);
        var keepInPlace = versions.Count == 2 && versions.Count(v => v.IsAnnexed) == 1 ? versions.Single(v => !v.IsAnnexed) : null;

        RemoveFromTree(git, path, removeFile: !folderOnOtherSide);
        var kept = new List<string>();
        foreach (var version in versions)
        {
            var target = version == keepInPlace ? path : VariantName.For(path, version.Key);
            version.WriteTo(_repo.WorkPath(target));
            git.Index.Add(target);
            kept.Add(target);
        }
        RemoveMergeLeftovers(path);
        return new ResolvedConflict(path, kept);
    }

    private void RemoveFromTree(Repository git, string path, bool removeFile)
    {
        git.Index.Remove(path);
        var absolute = _repo.WorkPath(path);
        if (removeFile && (File.Exists(absolute) || new FileInfo(absolute).LinkTarget is not null)) File.Delete(absolute);
    }

    /// <summary>libgit2 writes "path~ours"-style files for file/folder conflicts; the versions live on under variant names instead.</summary>
    private void RemoveMergeLeftovers(string path)
    {
        var absolute = _repo.WorkPath(path);
        var dir = Path.GetDirectoryName(absolute)!;
        if (!Directory.Exists(dir)) return;
        foreach (var leftover in Directory.EnumerateFileSystemEntries(dir, Path.GetFileName(absolute) + "~*"))
            if (File.Exists(leftover) || new FileInfo(leftover).LinkTarget is not null) File.Delete(leftover);
    }

    /// <summary>One side's version of a conflicted path.</summary>
    private sealed record Version(byte[] Content, Mode Mode, Key Key, bool IsAnnexed)
    {
        public static Version Read(Repository git, IndexEntry entry)
        {
            var blob = git.Lookup<Blob>(entry.Id);
            using var stream = blob.GetContentStream();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            if (entry.Mode == Mode.SymbolicLink && AnnexLink.TryParseTarget(System.Text.Encoding.UTF8.GetString(content), out var linkKey))
                return new Version(content, entry.Mode, linkKey, true);
            if (AnnexLink.TryParsePointer(content, out var pointerKey))
                return new Version(content, entry.Mode, pointerKey, true);
            return new Version(content, entry.Mode, ContentKey(content, entry.Path), false);
        }

        private static Key ContentKey(byte[] content, string path) =>
            new(KeyHasher.DefaultBackend,
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)) + KeyExtension.For(path),
                content.LongLength);

        public void WriteTo(string absolutePath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(absolutePath)!);
            if (File.Exists(absolutePath) || new FileInfo(absolutePath).LinkTarget is not null) File.Delete(absolutePath);
            if (Mode == Mode.SymbolicLink)
            {
                File.CreateSymbolicLink(absolutePath, System.Text.Encoding.UTF8.GetString(Content));
                return;
            }
            File.WriteAllBytes(absolutePath, Content);
            if (Mode == Mode.ExecutableFile)
                File.SetUnixFileMode(absolutePath, File.GetUnixFileMode(absolutePath) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }
}
