using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

public class TwoNodeSyncTests
{
    private static readonly string Large = new('L', 4096);

    private static async Task<(TempFolder Dir, Node A, Node B)> PairAsync(bool bBare = false)
    {
        var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b", bBare);
        a.AddRemote(b);
        b.AddRemote(a);
        return (dir, a, b);
    }

    [Fact]
    public async Task SeparatelyInitialisedRepositoriesConvergeWithTrickyNames()
    {
        var (dir, a, b) = await PairAsync();
        using var _ = dir;
        a.Write("plain.txt", "small\n");
        a.Write("nested/deep/folder/big file.bin", Large + "1");
        a.Write("unicodé ünïcode/фото.txt", "privet\n");
        a.Write("-leading-dash.txt", "dash\n");
        b.Write("from-b/big.iso", Large + "2");
        b.Write("b notes.md", "b\n");

        Assert.False((await a.SyncAsync()).Failed);
        var bReport = await b.SyncAsync();
        Assert.False(bReport.Failed, string.Join("; ", bReport.Remotes.SelectMany(r => r.Value.Errors)));
        Assert.False((await a.SyncAsync()).Failed);

        Assert.Equal(a.Tree(), b.Tree());
        Assert.Equal(a.Contents(), b.Contents());
        Assert.Equal(Large + "1", b.Read("nested/deep/folder/big file.bin"));
        Assert.Equal(Large + "2", a.Read("from-b/big.iso"));
        Assert.NotNull(new FileInfo(a.File("from-b/big.iso")).LinkTarget);
        Assert.Null(new FileInfo(a.File("plain.txt")).LinkTarget);
    }

    [Fact]
    public async Task ModifyDeleteAndRenameConverge()
    {
        var (dir, a, b) = await PairAsync();
        using var _ = dir;
        a.Write("keep.txt", "v1\n");
        a.Write("gone.txt", "bye\n");
        a.Write("old name.bin", Large);
        a.Write("docs/moved.txt", "m\n");
        await a.SyncAsync(); await b.SyncAsync();

        b.Write("keep.txt", "v2\n");
        File.Delete(b.File("gone.txt"));
        File.Move(b.File("old name.bin"), b.File("new name.bin"));
        Directory.Move(b.File("docs"), b.File("documents"));
        await b.SyncAsync(); await a.SyncAsync();

        Assert.Equal("v2\n", a.Read("keep.txt"));
        Assert.False(File.Exists(a.File("gone.txt")));
        Assert.Equal(Large, a.Read("new name.bin"));
        Assert.Equal("m\n", a.Read("documents/moved.txt"));
        Assert.Equal(a.Contents(), b.Contents());
    }

    [Fact]
    public async Task BareRemoteReceivesBranchAndContent()
    {
        var (dir, a, b) = await PairAsync(bBare: true);
        using var _ = dir;
        a.Write("big.dat", Large);
        var report = await a.SyncAsync();
        Assert.False(report.Failed, string.Join("; ", report.Remotes.SelectMany(r => r.Value.Errors)));
        Assert.Equal(GitCli.Run(a.Path, "rev-parse", "HEAD"), GitCli.Run(b.Path, "rev-parse", "main"));
        Assert.Contains("big.dat", GitCli.Run(b.Path, "ls-tree", "-r", "main"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(b.Path, "annex", "objects"), "*", SearchOption.AllDirectories));
        // The location log saying b has the content went there in the same sync (the git-annex branch is pushed again after content).
        Assert.Equal(GitCli.Run(a.Path, "rev-parse", "git-annex"), GitCli.Run(b.Path, "rev-parse", "git-annex"));
    }

    [Fact]
    public async Task UnreachableRemoteFailsAloneAndIsReported()
    {
        var (dir, a, b) = await PairAsync();
        using var _ = dir;
        a.AddRemote("ghost", dir.Combine("does-not-exist"));
        a.Write("f.txt", "x\n");
        var report = await a.SyncAsync();
        Assert.True(report.Failed);
        Assert.NotEmpty(report.Remotes["ghost"].Errors);
        Assert.Empty(report.Remotes["b"].Errors);
        Assert.True(report.Remotes["b"].Pushed);
        await b.SyncAsync();
        Assert.Equal("x\n", b.Read("f.txt"));
    }

    [Fact]
    public async Task ThreeNodesConvergeThroughAHub()
    {
        using var dir = new TempFolder();
        var hub = await Node.CreateAsync(dir.Combine("hub"), "hub", bare: true);
        var nodes = new List<Node>();
        foreach (var name in new[] { "x", "y", "z" })
        {
            var node = await Node.CreateAsync(dir.Combine(name), name);
            node.AddRemote(hub);
            node.Write($"{name}/small.txt", name + "\n");
            node.Write($"{name}/large.bin", Large + name);
            nodes.Add(node);
        }
        for (var round = 0; round < 2; round++)
            foreach (var node in nodes) Assert.False((await node.SyncAsync()).Failed);
        foreach (var node in nodes)
        {
            Assert.Equal(nodes[0].Contents(), node.Contents());
            Assert.Equal(Large + "z", node.Read("z/large.bin"));
        }
    }
}
