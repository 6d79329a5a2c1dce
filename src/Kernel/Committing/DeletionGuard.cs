namespace Tether.Kernel.Committing;

/// <summary>
/// The mass-deletion guard: a batch that would delete more than <see cref="MaxPercent"/> of a tree of at
/// least <see cref="MinFiles"/> files is not committed (an unmounted folder or a wiped drive looks exactly
/// like that), and syncing pauses until the user accepts or restores.
/// </summary>
public sealed record DeletionGuard(int MaxPercent = 50, int MinFiles = 100)
{
    public static DeletionGuard Off { get; } = new(100, int.MaxValue);

    public bool Blocks(int deletions, int filesInTree) =>
        filesInTree >= MinFiles && deletions * 100L > MaxPercent * (long)filesInTree;
}
