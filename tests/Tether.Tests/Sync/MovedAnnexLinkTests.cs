using Tether.Kernel.Annex;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// An annexed file moved to another folder depth (found by the fuzz, seed 1: a folder holding a conflict variant was
/// renamed to the top level) used to be committed with its old relative link, which points nowhere from its new
/// place: the content looked lost on every node. The link is repointed before it is committed.
/// </summary>
public class MovedAnnexLinkTests
{
    private static readonly string Large = new('L', 4096);

    [Fact]
    public async Task AnAnnexedFileMovedUpOrDownIsCommittedWithALinkThatReachesItsContent()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b);
        b.AddRemote(a);
        a.Write("music/live sets/one.bin", Large + "1");
        a.Write("two.bin", Large + "2");
        Assert.False((await a.SyncAsync()).Failed);

        Directory.Move(a.File("music/live sets"), a.File("sets")); // depth 2 → 1
        Directory.CreateDirectory(a.File("x/y"));
        File.Move(a.File("two.bin"), a.File("x/y/two.bin")); // depth 0 → 2
        Assert.False((await a.SyncAsync()).Failed);
        Assert.False((await b.SyncAsync()).Failed);

        foreach (var node in new[] { a, b })
        {
            Assert.Equal(Large + "1", node.Read("sets/one.bin"));
            Assert.Equal(Large + "2", node.Read("x/y/two.bin"));
        }
        Assert.True(AnnexLink.TryReadLink(a.File("sets/one.bin"), out var key));
        Assert.Equal(AnnexLink.TargetFor("sets/one.bin", key), GitCli.Run(a.Path, "cat-file", "blob", "HEAD:sets/one.bin"));
        Assert.Equal("", GitCli.Run(a.Path, "status", "--porcelain"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(a.Path, ".tether-link-*", SearchOption.AllDirectories));
        if (GitCli.HasGitAnnex) GitCli.Run(b.Path, "annex", "fsck", "--quiet");
    }

    /// <summary>
    /// Found by the fuzz (seed 20261125): a merge brought in a link at another depth than its text was made for (a
    /// conflict variant at depth 3 pointing one level up), and every node checked it out pointing nowhere. Here the link
    /// comes from a commit made with plain git (`git mv`, which does not repoint as git-annex's pre-commit hook does);
    /// the merge repoints every link it adds or changes before committing.
    /// </summary>
    [Fact]
    public async Task ALinkMergedInAtAnotherDepthIsRepointedBeforeTheMergeIsCommitted()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b);
        b.AddRemote(a);
        a.Write("x/f.bin", Large + "1");
        Assert.False((await a.SyncAsync()).Failed);
        Assert.False((await b.SyncAsync()).Failed);

        Directory.CreateDirectory(b.File("deep/er"));
        GitCli.Run(b.Path, "mv", "x/f.bin", "deep/er/f.bin");
        GitCli.Run(b.Path, "commit", "-q", "-m", "moved with plain git");
        a.Write("from a.txt", "so the merge is a real merge\n");
        Assert.False((await b.SyncAsync()).Failed);
        Assert.False((await a.SyncAsync()).Failed);

        Assert.True(AnnexLink.TryReadLink(a.File("deep/er/f.bin"), out var key));
        Assert.Equal(AnnexLink.TargetFor("deep/er/f.bin", key), new FileInfo(a.File("deep/er/f.bin")).LinkTarget);
        Assert.Equal(AnnexLink.TargetFor("deep/er/f.bin", key), GitCli.Run(a.Path, "cat-file", "blob", "HEAD:deep/er/f.bin"));
        Assert.Equal(Large + "1", a.Read("deep/er/f.bin"));
        Assert.Equal("", GitCli.Run(a.Path, "status", "--porcelain"));
    }
}
