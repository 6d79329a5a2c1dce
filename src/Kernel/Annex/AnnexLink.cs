using System.Text;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// How a file in git points at annexed content: a locked file is a relative symlink into
/// .git/annex/objects (mixed hash dirs); an unlocked file is a pointer blob "/annex/objects/KEY".
/// </summary>
public static class AnnexLink
{
    private const string ObjectsMarker = "annex/objects/";
    private const string PointerPrefix = "/annex/objects/";
    /// <summary>git-annex ignores pointer files larger than this.</summary>
    public const int MaxPointerSize = 32768;

    /// <summary>The symlink target git-annex writes for a locked file at this repository-relative path.</summary>
    public static string TargetFor(string relativePath, Key key)
    {
        var depth = relativePath.Count(c => c == '/');
        var keyFile = KeyFileName.Escape(key);
        var up = string.Concat(Enumerable.Repeat("../", depth));
        return $"{up}.git/annex/objects/{HashDirs.Mixed(key)}{keyFile}/{keyFile}";
    }

    /// <summary>The key a symlink target names, if it is an annex link.</summary>
    public static bool TryParseTarget(string? target, out Key key)
    {
        key = null!;
        if (target is null || !target.Contains(ObjectsMarker, StringComparison.Ordinal)) return false;
        var fileName = target[(target.LastIndexOf('/') + 1)..];
        return KeyFileName.TryUnescape(fileName, out key);
    }

    /// <summary>The key a pointer blob names (an unlocked file), if it is one.</summary>
    public static bool TryParsePointer(ReadOnlySpan<byte> content, out Key key)
    {
        key = null!;
        if (content.Length > MaxPointerSize) return false;
        var text = Encoding.UTF8.GetString(content);
        var firstLine = text.Split('\n', 2)[0];
        return firstLine.StartsWith(PointerPrefix, StringComparison.Ordinal)
            && KeyFileName.TryUnescape(firstLine[PointerPrefix.Length..], out key);
    }

    public static string PointerFor(Key key) => PointerPrefix + KeyFileName.Escape(key) + "\n";

    /// <summary>The key of the annex link at an absolute path in the work tree, if it is one.</summary>
    public static bool TryReadLink(string absolutePath, out Key key)
    {
        key = null!;
        var info = new FileInfo(absolutePath);
        return info.LinkTarget is { } target && TryParseTarget(target, out key);
    }
}
