using System.Security.Cryptography;
using Tether.Kernel.Annex;

namespace Tether.Fuzz.Driver;

/// <summary>
/// The content hashes an entry holds: a file's SHA-256, an annex link's or an unlocked pointer file's key hash (SHA256E),
/// a folder's files. A pointer file (an unlocked file whose content has not arrived) stands for its content, as a
/// dangling link does: a write over it destroys that version, as the user sees it.
/// </summary>
public static class EntryContents
{
    public static string Hash(byte[] content) =>
        AnnexLink.TryParsePointer(content, out var key) && key.HashHex is { } hex ? hex.ToLowerInvariant() : Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The hash of one file or annex link; null when the path holds nothing (or a folder).</summary>
    public static string? HashOf(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
            return AnnexLink.TryParseTarget(target, out var key) ? key.HashHex?.ToLowerInvariant() : "symlink:" + target;
        if (!info.Exists) return null;
        try { return Hash(File.ReadAllBytes(path)); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Every content under a path (itself when it is a file or link, all files below when it is a folder).</summary>
    public static IEnumerable<string> AllUnder(string path)
    {
        if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
                if (new FileInfo(entry).LinkTarget is not null || File.Exists(entry))
                    if (HashOf(entry) is { } nested) yield return nested;
            yield break;
        }
        if (HashOf(path) is { } hash) yield return hash;
    }
}
