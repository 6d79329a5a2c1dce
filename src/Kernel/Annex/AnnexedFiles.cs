using LibGit2Sharp;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>Finds the annexed files of a git tree: locked symlinks and unlocked pointer blobs.</summary>
public static class AnnexedFiles
{
    public sealed record Entry(string Path, Key Key);

    public static IEnumerable<Entry> InTree(Tree? tree)
    {
        if (tree is null) yield break;
        var pending = new Stack<Tree>([tree]);
        while (pending.Count > 0)
        {
            foreach (var item in pending.Pop())
            {
                if (item.TargetType == TreeEntryTargetType.Tree) { pending.Push((Tree)item.Target); continue; }
                if (item.TargetType != TreeEntryTargetType.Blob) continue;
                if (TryKeyOf(item.Mode, (Blob)item.Target, out var key)) yield return new Entry(item.Path.Replace('\\', '/'), key);
            }
        }
    }

    /// <summary>
    /// A pointer blob is "/annex/objects/KEY\n": far below this size in practice, so larger blobs (every real
    /// document) are never read during a tree scan. git-annex's own limit is 32 KiB; keys are at most a few hundred bytes.
    /// </summary>
    private const int LikelyPointerSize = 1024;

    public static bool TryKeyOf(Mode mode, Blob blob, out Key key)
    {
        key = null!;
        if (blob.Size > (mode == Mode.SymbolicLink ? AnnexLink.MaxPointerSize : LikelyPointerSize)) return false;
        var text = blob.GetContentText();
        return mode == Mode.SymbolicLink
            ? AnnexLink.TryParseTarget(text, out key)
            : text.StartsWith("/annex/objects/", StringComparison.Ordinal) && AnnexLink.TryParsePointer(System.Text.Encoding.UTF8.GetBytes(text), out key);
    }
}
