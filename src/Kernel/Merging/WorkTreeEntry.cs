using Tether.Sdk.Keys;
using Tether.Platform.Hashing;

namespace Tether.Kernel.Merging;

/// <summary>What a merge needs to know about one work-tree entry before it replaces or removes it.</summary>
internal static class WorkTreeEntry
{
    public static bool Exists(string absolutePath) =>
        File.Exists(absolutePath) || new FileInfo(absolutePath).LinkTarget is not null;

    public static bool IsFolder(string absolutePath) =>
        Directory.Exists(absolutePath) && new FileInfo(absolutePath).LinkTarget is null;

    public static void Delete(string absolutePath)
    {
        if (Exists(absolutePath)) File.Delete(absolutePath);
    }

    /// <summary>True when the entry is a symlink with this target (<paramref name="isLink"/>) or a file with these bytes.</summary>
    public static bool Holds(string absolutePath, bool isLink, byte[] content)
    {
        var linkTarget = new FileInfo(absolutePath).LinkTarget;
        if (isLink) return linkTarget is not null && linkTarget == System.Text.Encoding.UTF8.GetString(content);
        if (linkTarget is not null || !File.Exists(absolutePath)) return false;
        try
        {
            return new FileInfo(absolutePath).Length == content.LongLength && File.ReadAllBytes(absolutePath).AsSpan().SequenceEqual(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // unreadable: not what the merge wrote, so it is kept
        }
    }

    /// <summary>True for a plain file with git's conflict marker lines, as libgit2 writes for two conflicting texts.</summary>
    public static bool HasConflictMarkers(string absolutePath)
    {
        if (new FileInfo(absolutePath).LinkTarget is not null || !File.Exists(absolutePath)) return false;
        try
        {
            var lines = File.ReadLines(absolutePath).ToList();
            return lines.Any(l => l.StartsWith("<<<<<<< ", StringComparison.Ordinal))
                && lines.Any(l => l == "=======")
                && lines.Any(l => l.StartsWith(">>>>>>> ", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The key of the entry's content (a link: of its target text), for naming a variant after it.</summary>
    public static Key KeyOf(string absolutePath, string relativePath)
    {
        var linkTarget = new FileInfo(absolutePath).LinkTarget;
        if (linkTarget is not null)
            return Annex.AnnexLink.TryParseTarget(linkTarget, out var key) ? key : ContentKey(System.Text.Encoding.UTF8.GetBytes(linkTarget), relativePath);
        if (IsFolder(absolutePath)) // a folder of the user's where a file goes: named after its place and time
            return ContentKey(System.Text.Encoding.UTF8.GetBytes($"folder {relativePath} {DateTime.UtcNow:O}"), "");
        using var stream = File.OpenRead(absolutePath);
        var hash = System.Security.Cryptography.SHA256.HashData(stream);
        return new Key(KeyHasher.DefaultBackend, Convert.ToHexStringLower(hash) + KeyExtension.For(relativePath), stream.Length);
    }

    public static Key ContentKey(byte[] content, string relativePath) =>
        new(KeyHasher.DefaultBackend,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)) + KeyExtension.For(relativePath),
            content.LongLength);
}
