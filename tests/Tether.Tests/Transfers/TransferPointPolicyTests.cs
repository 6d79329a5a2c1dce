using Tether.Kernel.AnnexBranch;
using Tether.Kernel.TransferPoints;
using Tether.Kernel.Wants;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers;

/// <summary>
/// When a transfer point (a cloud remote in git-annex's transfer group) holds a file, read from the git-annex branch
/// as another node wrote it: while a node that wants the file lacks it, or fewer than two nodes have it; never
/// dropped below numcopies.
/// </summary>
public sealed class TransferPointPolicyTests
{
    private const string Cloud = "00000000-0000-0000-0000-00000000c10d";
    private const string Laptop = "00000000-0000-0000-0000-0000000001ab";
    private const string Phone = "00000000-0000-0000-0000-0000000000fe";

    private static async Task<(Node Node, GitAnnexBranch Branch)> NetworkAsync(TempFolder dir, params (string File, string Content)[] logs)
    {
        var node = await Node.CreateAsync(dir.Combine("n"), "n");
        var branch = new GitAnnexBranch(node.Repo, TimeProvider.System);
        await branch.ChangeAsync(GroupLog.FileName, old => GroupLog.WithGroup(old, Cloud, GroupLog.Transfer, TimeProvider.System), CancellationToken.None);
        foreach (var (file, content) in logs) await branch.ChangeAsync(file, _ => content, CancellationToken.None);
        return (node, branch);
    }

    private static HashSet<string> Set(params string[] uuids) => new(uuids, StringComparer.Ordinal);

    [Fact]
    public async Task TheCloudHoldsAFileWhileANodeThatWantsItLacksItOrOnlyOneNodeHasIt()
    {
        using var dir = new TempFolder();
        var (node, branch) = await NetworkAsync(dir, (WantsLog.BranchPath, $"{Laptop} all timestamp=1s\n{Phone} [\"photos/**\"] timestamp=1s\n"));
        using (branch)
        {
            var us = node.Repo.RequireUuid();
            var policy = TransferPointPolicy.Read(branch, us);
            Assert.True(policy.IsTransferPoint(Cloud));
            Assert.False(policy.IsTransferPoint(Laptop));

            Assert.True(policy.Needed("docs/a.txt", Set(us), Set()));                 // the laptop lacks it
            Assert.False(policy.Needed("docs/a.txt", Set(us), Set(Laptop)));          // ...unless this upload reaches it directly
            Assert.False(policy.Needed("docs/a.txt", Set(us, Laptop, Cloud), Set())); // the phone does not want docs/
            Assert.True(policy.Needed("photos/b.jpg", Set(us, Laptop, Cloud), Set())); // it wants photos/
            Assert.True(policy.CanLeave("docs/a.txt", Set(us, Laptop, Cloud)));
            Assert.False(policy.CanLeave("photos/b.jpg", Set(us, Laptop, Cloud)));
        }
    }

    [Fact]
    public async Task ANodeAloneSoFarStillLeavesACopyForTheNodesToCome()
    {
        using var dir = new TempFolder();
        var (node, branch) = await NetworkAsync(dir);
        using (branch)
        {
            var policy = TransferPointPolicy.Read(branch, node.Repo.RequireUuid());
            Assert.True(policy.Needed("a.bin", Set(node.Repo.RequireUuid()), Set()));
            Assert.False(policy.CanLeave("a.bin", Set(node.Repo.RequireUuid(), Cloud)));
        }
    }

    [Fact]
    public async Task TheCloudsCopyStaysWhileTheOtherCopiesAreFewerThanNumcopies()
    {
        using var dir = new TempFolder();
        var (node, branch) = await NetworkAsync(dir,
            (WantsLog.BranchPath, $"{Laptop} all timestamp=1s\n"),
            ("numcopies.log", "1s 2\n5s 3\ngarbage\n"));
        using (branch)
        {
            var us = node.Repo.RequireUuid();
            var policy = TransferPointPolicy.Read(branch, us);
            Assert.Equal(3, policy.NumCopies); // the newest line wins, garbage is skipped
            Assert.False(policy.CanLeave("a.bin", Set(us, Laptop, Cloud))); // every node has it, but only 2 copies without the cloud
        }
    }

    [Fact]
    public async Task AGroupLogLineAPeerStuffedWithGroupsIsIgnored()
    {
        using var dir = new TempFolder();
        var stuffed = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"g{i}")) + " transfer";
        var (node, branch) = await NetworkAsync(dir, (GroupLog.FileName, $"{Cloud} {stuffed} timestamp=9s\n"));
        using (branch) Assert.False(TransferPointPolicy.Read(branch, node.Repo.RequireUuid()).HasTransferPoints);
    }
}
