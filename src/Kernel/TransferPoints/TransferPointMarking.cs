using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.TransferPoints;

/// <summary>
/// Marks a remote as a transfer point on the git-annex branch, as <c>git annex group NAME transfer</c> and
/// <c>git annex wanted NAME standard</c> do, so every node (Tether or git-annex) treats it the same way.
/// </summary>
public static class TransferPointMarking
{
    private const string PreferredContentLog = "preferred-content.log";

    public static async Task MarkAsync(AnnexRepository repo, string uuid, TimeProvider clock, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        await branch.ChangeAsync(GroupLog.FileName, old => GroupLog.WithGroup(old, uuid, GroupLog.Transfer, clock), ct);
        await branch.ChangeAsync(PreferredContentLog, old => UuidLog.WithDescription(old, uuid, "standard", clock), ct);
        await branch.CommitAsync("transfer point", ct);
    }
}
