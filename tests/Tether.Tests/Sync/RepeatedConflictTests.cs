using System.Text;
using Tether.Kernel.Merging;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// Found by the fuzz (seed 1, 4 nodes): a conflict on a variant of a variant made a name past the 255-byte limit; its
/// resolution threw half-way, the conflicted index it left stopped every later commit and merge on that node for good.
/// Long variant names are shortened, and a merge stopped half-way (by an error or a kill -9) is undone and redone.
/// </summary>
public class RepeatedConflictTests
{
    [Fact]
    public void VariantsOfVariantsStayWithinTheFileNameLimitAndAgreeOnEveryNode()
    {
        var path = "notes dir 22/draft v2 14.txt";
        for (var level = 0; level < 6; level++)
        {
            var key = Key.Parse($"SHA256E-s{2000 + level}--{new string((char)('a' + level), 64)}.txt");
            var next = VariantName.For(path, key);
            Assert.True(Encoding.UTF8.GetByteCount(Path.GetFileName(next)) + "~HEAD.lock".Length <= 255, next); // git's suffixes fit
            Assert.Equal(next, VariantName.For(path, key));
            Assert.NotEqual(path, next);
            Assert.StartsWith("notes dir 22/draft v2 14.variant-", next);
            Assert.EndsWith(".txt", next);
            path = next;
        }
    }

    [Fact]
    public async Task AMergeStoppedHalfWayIsUndoneAndMergedAgainWithoutLosingAVersion()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b); b.AddRemote(a);
        a.Write("plan.txt", "base\n");
        await a.SyncAsync(); await b.SyncAsync();

        // As if a's merge of b had been killed before its conflicts were resolved: a conflicted index and MERGE_HEAD.
        b.Write("plan.txt", "edit from b\n");
        await b.SyncAsync();
        a.Write("plan.txt", "edit from a\n");
        a.Write("more.txt", "written later\n");
        GitCli.Run(a.Path, "add", "-A");
        GitCli.Run(a.Path, "commit", "-q", "-m", "edits in a");
        GitCli.Run(a.Path, "fetch", "-q", "b");
        Assert.NotEqual(0, GitCli.TryRun(a.Path, "merge", "refs/remotes/b/synced/main").ExitCode);
        Assert.True(File.Exists(Path.Combine(a.Path, ".git", "MERGE_HEAD")));
        a.Write("plan.txt~HEAD", "what git writes beside a file/folder conflict\n"); // found by the soak: was committed

        var report = await a.SyncAsync();
        Assert.False(report.Failed, string.Join("; ", report.Remotes.SelectMany(r => r.Value.Errors)));
        await b.SyncAsync(); await a.SyncAsync();
        Assert.False(File.Exists(Path.Combine(a.Path, ".git", "MERGE_HEAD")));
        Assert.Equal("", GitCli.Run(a.Path, "status", "--porcelain"));
        Assert.Equal(a.Tree(), b.Tree());
        Assert.DoesNotContain("~HEAD", a.Tree());
        var contents = a.Contents().Values.ToList();
        Assert.Contains("edit from a\n", contents);
        Assert.Contains("edit from b\n", contents);
        Assert.Contains("written later\n", contents);
    }
}
