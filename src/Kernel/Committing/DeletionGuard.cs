namespace Tether.Kernel.Committing;

/// <summary>
/// The mass-deletion guard: a batch that would delete more than <see cref="MaxPercent"/> of a tree of at
/// least <see cref="MinFiles"/> files is not committed (an unmounted folder or a wiped drive looks exactly
/// like that), and syncing pauses until the user accepts or restores.
/// </summary>
public sealed record DeletionGuard(int MaxPercent = 50, int MinFiles = 100)
{
    public static DeletionGuard Off { get; } = new(100, int.MaxValue);

    /// <param name="filesInTree">Counted only when the deletions could be too many for a tree of <see cref="MinFiles"/>.</param>
    public bool Blocks(int deletions, Func<int> filesInTree)
    {
        if (deletions * 100L <= MaxPercent * (long)MinFiles) return false;
        var files = filesInTree();
        return files >= MinFiles && deletions * 100L > MaxPercent * (long)files;
    }
}
