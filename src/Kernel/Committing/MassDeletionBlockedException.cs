using Tether.Kernel.Git;
namespace Tether.Kernel.Committing;

/// <summary>A commit was refused by the deletion guard; nothing was committed and the index was left as HEAD.</summary>
public sealed class MassDeletionBlockedException(int deletions, int filesInTree, string workTree)
    : InvalidOperationException(
        $"{deletions} of {filesInTree} files in {workTree} are gone at once; that looks like an unmounted folder or a wiped drive, " +
        $"so the deletions were not committed and syncing is paused. If they are intended: tether -C '{workTree}' resume --accept-deletions. " +
        $"To undo them: git -C '{workTree}' checkout -- . (then tether -C '{workTree}' resume)")
{
    public int Deletions { get; } = deletions;
    public int FilesInTree { get; } = filesInTree;
}
