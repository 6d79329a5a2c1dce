using Tether.Kernel.Merging;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

public class ConflictTests
{
    private static readonly string Large = new('L', 4096);

    private static async Task<(TempFolder Dir, Node A, Node B)> SyncedPairAsync(Action<Node> seed)
    {
        var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b); b.AddRemote(a);
        seed(a);
        await a.SyncAsync(); await b.SyncAsync();
        return (dir, a, b);
    }

    private static async Task ConvergeAsync(Node a, Node b)
    {
        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync(); await b.SyncAsync();
        Assert.Equal(a.Tree(), b.Tree());
        Assert.Equal(a.Contents(), b.Contents());
    }

    private static string[] Variants(Node node, string dir = "") =>
        Directory.GetFileSystemEntries(node.File(dir)).Select(Path.GetFileName).Where(n => n!.Contains(".variant-")).Order().ToArray()!;

    [Fact]
    public async Task ConcurrentEditsOfASmallFileKeepBothVersions()
    {
        var (dir, a, b) = await SyncedPairAsync(a => a.Write("notes.txt", "base\n"));
        using var _ = dir;
        a.Write("notes.txt", "edit from a\n");
        b.Write("notes.txt", "edit from b\n");
        await a.SyncAsync();
        var report = await b.SyncAsync();
        Assert.Single(report.Conflicts);
        await ConvergeAsync(a, b);

        var variants = Variants(a);
        Assert.Equal(2, variants.Length);
        Assert.False(File.Exists(a.File("notes.txt")));
        Assert.Equal(new[] { "edit from a\n", "edit from b\n" }, variants.Select(v => a.Read(v)).Order());
        Assert.All(variants, v => Assert.Matches(@"^notes\.variant-[0-9a-f]{4}\.txt$", v));
    }

    [Fact]
    public async Task ConcurrentEditsOfAnAnnexedFileUseGitAnnexVariantNames()
    {
        var (dir, a, b) = await SyncedPairAsync(a => a.Write("video.mkv", Large + "base"));
        using var _ = dir;
        a.Write("video.mkv", Large + "A");
        b.Write("video.mkv", Large + "B");
        await a.SyncAsync(); await b.SyncAsync();
        await ConvergeAsync(a, b);

        var keyA = Key.Parse(Path.GetFileName(new FileInfo(a.File(Variants(a)[0])).LinkTarget!));
        var expected = new[] { "video.variant-", "video.variant-" };
        Assert.Equal(2, Variants(a).Length);
        Assert.Contains(VariantName.For("video.mkv", keyA), Variants(a));
        Assert.Equal(new[] { Large + "A", Large + "B" }, Variants(b).Select(v => b.Read(v)).Order());
        Assert.Contains("git-annex automatic merge conflict fix", GitCli.Run(a.Path, "log", "--format=%s"));
    }

    [Fact]
    public async Task ModifyVersusDeleteKeepsTheModifiedVersion()
    {
        var (dir, a, b) = await SyncedPairAsync(a => a.Write("doc.txt", "base\n"));
        using var _ = dir;
        a.Write("doc.txt", "changed\n");
        File.Delete(b.File("doc.txt"));
        await a.SyncAsync(); await b.SyncAsync();
        await ConvergeAsync(a, b);
        var survivors = Variants(a);
        Assert.Single(survivors);
        Assert.Equal("changed\n", a.Read(survivors[0]));
    }

    [Fact]
    public async Task FileVersusFolderBothSurvive()
    {
        var (dir, a, b) = await SyncedPairAsync(a => a.Write("seed.txt", "s\n"));
        using var _ = dir;
        a.Write("thing", "a file\n");
        b.Write("thing/inside.txt", "in a folder\n");
        await a.SyncAsync(); await b.SyncAsync();
        await ConvergeAsync(a, b);
        Assert.Equal("in a folder\n", a.Read("thing/inside.txt"));
        var variant = Assert.Single(Variants(a));
        Assert.Equal("a file\n", a.Read(variant));
    }

    [Fact]
    public async Task AnnexedVersusPlainFileRenamesOnlyTheAnnexedSide()
    {
        var (dir, a, b) = await SyncedPairAsync(a => a.Write("seed.txt", "s\n"));
        using var _ = dir;
        a.Write("data", Large);
        b.Write("data", "small\n");
        await a.SyncAsync(); await b.SyncAsync();
        await ConvergeAsync(a, b);
        Assert.Equal("small\n", a.Read("data"));
        var variant = Assert.Single(Variants(a));
        Assert.Equal(Large, a.Read(variant));
    }

    [Fact]
    public async Task SameContentOnBothSidesIsNoConflict()
    {
        var (dir, a, b) = await SyncedPairAsync(a => a.Write("seed.txt", "s\n"));
        using var _ = dir;
        a.Write("same.bin", Large);
        b.Write("same.bin", Large);
        await a.SyncAsync();
        var report = await b.SyncAsync();
        Assert.Empty(report.Conflicts);
        await ConvergeAsync(a, b);
        Assert.Empty(Variants(a));
    }

    [Fact]
    public void VariantNamesFollowGitAnnex()
    {
        var key = Key.Parse("SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt");
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(key.ToString())))[..4];
        Assert.Equal($"dir/hello.variant-{md5}.txt", VariantName.For("dir/hello.txt", key));
        Assert.Equal($"README.variant-{md5}", VariantName.For("README", key));
        Assert.Equal($"a.variant-{md5}.variant-{key}.txt", VariantName.For($"a.variant-{md5}.txt", key));
    }
}
