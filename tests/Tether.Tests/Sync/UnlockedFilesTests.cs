using Tether.Kernel.Annex;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// Unlocked annexed files (git-annex v10): a pointer in git, a plain writable file in the work tree, a separate copy in
/// the annex. Edited in place, they become new versions; the old content stays retrievable; git and git-annex agree.
/// </summary>
public sealed class UnlockedFilesTests
{
    private static string Big(char fill, int kib) => new(fill, kib * 1024);

    private static async Task<(Node A, Node B)> PairAsync(TempFolder dir)
    {
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.Unlocked = b.Unlocked = true;
        a.AddRemote(b);
        b.AddRemote(a);
        return (a, b);
    }

    [Fact]
    public async Task ALargeFileIsAPointerInGitAWritableFileHereAndASeparateObject()
    {
        using var dir = new TempFolder();
        var (a, _) = await PairAsync(dir);
        a.Write("big.bin", Big('x', 8));
        await a.SyncAsync();

        var pointer = GitCli.Run(a.Path, "cat-file", "-p", "HEAD:big.bin");
        Assert.StartsWith("/annex/objects/SHA256E-s8192--", pointer);
        Assert.EndsWith(".bin\n", pointer);
        var info = new FileInfo(a.File("big.bin"));
        Assert.Null(info.LinkTarget);
        Assert.True(File.GetUnixFileMode(info.FullName).HasFlag(UnixFileMode.UserWrite));
        Assert.Equal("", GitCli.Run(a.Path, "status", "--porcelain"));

        Assert.True(AnnexLink.TryParsePointer(System.Text.Encoding.UTF8.GetBytes(pointer), out var key));
        var obj = new ObjectStore(a.Repo).FindContent(key)!;
        Assert.NotEqual(Kernel.Native.FileIdentity.OfPath(obj), Kernel.Native.FileIdentity.OfPath(info.FullName));

        File.AppendAllText(a.File("big.bin"), "appended in place\n"); // any program can write it; the object is untouched
        Assert.Equal(Big('x', 8), File.ReadAllText(obj));
    }

    [Fact]
    public async Task EditsInPlaceReachTheOtherNodeAsNewVersionsAndTheOldContentStays()
    {
        using var dir = new TempFolder();
        var (a, b) = await PairAsync(dir);
        a.Write("doc.bin", Big('1', 4));
        await a.SyncAsync();
        await b.SyncAsync();
        Assert.Equal(Big('1', 4), b.Read("doc.bin"));
        Assert.Null(new FileInfo(b.File("doc.bin")).LinkTarget);

        var firstKey = KeyAt(a, "HEAD:doc.bin");
        File.AppendAllText(a.File("doc.bin"), "more");                       // append
        await a.SyncAsync();
        await b.SyncAsync();
        Assert.Equal(Big('1', 4) + "more", b.Read("doc.bin"));

        using (var stream = new FileStream(b.File("doc.bin"), FileMode.Open, FileAccess.Write)) // write at an offset, on b
        {
            stream.Position = 10;
            stream.Write("OFFSET"u8);
        }
        await b.SyncAsync();
        await a.SyncAsync();
        var expected = (Big('1', 4) + "more").Remove(10, 6).Insert(10, "OFFSET");
        Assert.Equal(expected, a.Read("doc.bin"));

        File.WriteAllText(a.File("doc.bin"), Big('2', 2));                   // truncate and overwrite
        await a.SyncAsync();
        await b.SyncAsync();
        Assert.Equal(Big('2', 2), b.Read("doc.bin"));

        foreach (var node in new[] { a, b })
        {
            Assert.Equal("", GitCli.Run(node.Path, "status", "--porcelain"));
            Assert.NotNull(new ObjectStore(node.Repo).FindContent(firstKey)); // history keeps the old version's content
            GitCli.Run(node.Path, "annex", "fsck", "--quiet"); // throws on a failure
        }
        Assert.Equal(4, GitCli.Run(a.Path, "log", "--format=%H", "--", "doc.bin").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task RenameAndDeleteOfUnlockedFilesSyncAndGitAnnexAgrees()
    {
        using var dir = new TempFolder();
        var (a, b) = await PairAsync(dir);
        a.Write("one.bin", Big('a', 3));
        a.Write("two.bin", Big('b', 3));
        await a.SyncAsync();
        await b.SyncAsync();

        Directory.CreateDirectory(a.File("sub"));
        File.Move(a.File("one.bin"), a.File("sub/one.bin"));
        File.Delete(a.File("two.bin"));
        await a.SyncAsync();
        await b.SyncAsync();

        Assert.Equal(Big('a', 3), b.Read("sub/one.bin"));
        Assert.False(File.Exists(b.File("one.bin")));
        Assert.False(File.Exists(b.File("two.bin")));
        Assert.Equal("", GitCli.Run(b.Path, "status", "--porcelain"));
        GitCli.Run(b.Path, "annex", "fsck");
        Assert.Contains("here", GitCli.Run(b.Path, "annex", "whereis", "sub/one.bin"));
    }

    [Fact]
    public async Task ThreeNodesInALineCarryEditsInPlaceAndAnAtomicSaveBothWays()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        var c = await Node.CreateAsync(dir.Combine("c"), "c");
        a.Unlocked = b.Unlocked = c.Unlocked = true;
        a.AddRemote(b); b.AddRemote(a); b.AddRemote(c); c.AddRemote(b); // a and c never meet
        async Task RoundAsync() { await a.SyncAsync(); await b.SyncAsync(); await c.SyncAsync(); await b.SyncAsync(); await a.SyncAsync(); }

        a.Write("film.bin", Big('f', 6));
        await RoundAsync();
        Assert.Equal(Big('f', 6), c.Read("film.bin"));
        var first = KeyAt(c, "HEAD:film.bin");

        File.AppendAllText(c.File("film.bin"), "cut");                       // an edit in place at the far end
        await RoundAsync();
        Assert.Equal(Big('f', 6) + "cut", a.Read("film.bin"));

        var tmp = a.File(".film.bin.swp");                                   // an editor's atomic save
        File.WriteAllText(tmp, Big('g', 5));
        File.Move(tmp, a.File("film.bin"), overwrite: true);
        await RoundAsync();
        foreach (var node in new[] { a, b, c })
        {
            Assert.Equal(Big('g', 5), node.Read("film.bin"));
            Assert.Null(new FileInfo(node.File("film.bin")).LinkTarget);
            Assert.Equal("", GitCli.Run(node.Path, "status", "--porcelain"));
            GitCli.Run(node.Path, "annex", "fsck", "--quiet");
        }
        Assert.NotNull(new ObjectStore(a.Repo).FindContent(first)); // every version's content is still retrievable
    }

    [Fact]
    public async Task ContentArrivingForAPointerFileTheUserReplacedMeanwhileLeavesTheUsersFile()
    {
        using var dir = new TempFolder();
        var (a, b) = await PairAsync(dir);
        a.Write("big.bin", Big('x', 4));
        await a.SyncAsync();
        var key = KeyAt(a, "HEAD:big.bin");
        File.WriteAllText(b.File("big.bin"), "the user's own save, made before the content came\n");

        Assert.False(UnlockedContent.Populate(b.Repo, "big.bin", key));       // not a pointer file any more: never overwritten
        Assert.Equal("the user's own save, made before the content came\n", b.Read("big.bin"));

        File.WriteAllText(b.File("big.bin"), AnnexLink.PointerFor(key));      // the pointer file, and the content here: filled
        Directory.CreateDirectory(b.Repo.TmpDir);
        File.Copy(new ObjectStore(a.Repo).FindContent(key)!, Path.Combine(b.Repo.TmpDir, "x"));
        new ObjectStore(b.Repo).InstallVerified(key, Path.Combine(b.Repo.TmpDir, "x"));
        Assert.True(UnlockedContent.Populate(b.Repo, "big.bin", key));
        Assert.Equal(Big('x', 4), b.Read("big.bin"));
    }

    [Fact]
    public async Task AnAnnexedFileOverwrittenWithSmallContentGoesIntoGitAsGitAnnexsFilterDecides()
    {
        using var dir = new TempFolder();
        foreach (var name in new[] { "a", "b" }) Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", name)).ExitCode);
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", "../b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "a", "../a")).ExitCode);
        File.WriteAllText(Path.Combine(a, "notes.md"), Big('n', 2048)); // over the default 1 MiB: annexed
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.StartsWith("/annex/objects/", GitCli.Run(a, "cat-file", "-p", "HEAD:notes.md"));

        File.WriteAllText(Path.Combine(a, "notes.md"), "small now\n"); // overwritten in place, far below the rule
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "sync")).ExitCode);

        Assert.Equal("small now\n", GitCli.Run(a, "cat-file", "-p", "HEAD:notes.md")); // in git, as git annex add would put it
        Assert.Equal("small now\n", File.ReadAllText(Path.Combine(b, "notes.md")));
        foreach (var repo in new[] { a, b })
            Assert.Equal("", GitCli.Run(repo, "status", "--porcelain")); // the system git, through git-annex's own filter, agrees
    }

    internal static Tether.Sdk.Keys.Key KeyAt(Node node, string spec)
    {
        Assert.True(AnnexLink.TryParsePointer(System.Text.Encoding.UTF8.GetBytes(GitCli.Run(node.Path, "cat-file", "-p", spec)), out var key));
        return key;
    }
}
