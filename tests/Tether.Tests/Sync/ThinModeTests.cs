using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Native;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// annex.thin (as git-annex's): an unlocked file and its annex object are one inode. An edit in place then replaces the
/// old version here too, so that version is forgotten here (recorded absent), never sent as if it were the old content;
/// other nodes keep it. Without thin (the default) the object is a separate copy (<see cref="UnlockedFilesTests"/>).
/// </summary>
public sealed class ThinModeTests
{
    private static string Big(char fill, int kib) => new(fill, kib * 1024);

    private static async Task<(Node A, Node B)> ThinPairAsync(TempFolder dir)
    {
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.Unlocked = b.Unlocked = true;
        foreach (var node in new[] { a, b }) GitCli.Run(node.Path, "config", "annex.thin", "true");
        a.AddRemote(b);
        b.AddRemote(a);
        return (a, b);
    }

    [Fact]
    public async Task AThinFileIsItsOwnObjectAndGitAndGitAnnexAgree()
    {
        using var dir = new TempFolder();
        var (a, _) = await ThinPairAsync(dir);
        a.Write("big.bin", Big('t', 8));
        await a.SyncAsync();

        var key = UnlockedFilesTests.KeyAt(a, "HEAD:big.bin");
        var obj = new ObjectStore(a.Repo).FindContent(key)!;
        Assert.Equal(FileIdentity.OfPath(obj), FileIdentity.OfPath(a.File("big.bin")));
        Assert.Equal(2u, FileIdentity.LinkCount(a.File("big.bin")));
        Assert.True(File.GetUnixFileMode(a.File("big.bin")).HasFlag(UnixFileMode.UserWrite)); // still the user's writable file
        Assert.Equal("", GitCli.Run(a.Path, "status", "--porcelain"));
        GitCli.Run(a.Path, "annex", "fsck", "--quiet");
    }

    [Fact]
    public async Task AnEditInPlaceForgetsTheOldVersionHereWhileTheOtherNodeKeepsIt()
    {
        using var dir = new TempFolder();
        var (a, b) = await ThinPairAsync(dir);
        b.Write("b.txt", "b has a branch of its own: what arrives is merged, not checked out\n");
        await b.SyncAsync();
        a.Write("doc.bin", Big('1', 4));
        await a.SyncAsync();
        await b.SyncAsync();
        var first = UnlockedFilesTests.KeyAt(a, "HEAD:doc.bin");
        Assert.Equal(Big('1', 4), b.Read("doc.bin"));
        Assert.Equal(2u, FileIdentity.LinkCount(b.File("doc.bin"))); // content that arrived is linked in by the merge too

        File.AppendAllText(a.File("doc.bin"), "more"); // the old object is this very inode: it changes with it
        await a.SyncAsync();

        var second = UnlockedFilesTests.KeyAt(a, "HEAD:doc.bin");
        Assert.NotEqual(first, second);
        Assert.Null(new ObjectStore(a.Repo).FindContent(first));
        Assert.Equal(Big('1', 4) + "more", File.ReadAllText(new ObjectStore(a.Repo).FindContent(second)!));
        using (var branch = new GitAnnexBranch(a.Repo, TimeProvider.System))
            Assert.DoesNotContain(a.Repo.RequireUuid(), branch.PresentUuids(first)); // no node is told a holds it

        await b.SyncAsync();
        Assert.Equal(Big('1', 4) + "more", b.Read("doc.bin"));
        var kept = new ObjectStore(b.Repo).FindContent(first);
        Assert.NotNull(kept); // history keeps the first version on b, whole
        Assert.Equal(Big('1', 4), File.ReadAllText(kept));
        GitCli.Run(a.Path, "annex", "fsck", "--quiet");
        GitCli.Run(b.Path, "annex", "fsck", "--quiet");
    }

    [Fact]
    public async Task AnEditedThinObjectIsNeverTakenForTheOldVersion()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.Unlocked = b.Unlocked = true;
        GitCli.Run(a.Path, "config", "annex.thin", "true");
        b.AddRemote(a); // b fetches from a; a sends nothing by itself
        a.Write("doc.bin", Big('1', 4));
        await a.SyncAsync();
        var first = UnlockedFilesTests.KeyAt(a, "HEAD:doc.bin");
        File.AppendAllText(a.File("doc.bin"), "edited before b fetched"); // not committed yet: a's object of the first version is wrong now

        await b.SyncAsync(); // b fetches the first version from a: the edited inode must not arrive under the old key
        Assert.Null(new ObjectStore(b.Repo).FindContent(first));

        await a.SyncAsync(); // a commits the edit: the old version is forgotten here, not kept as a "bad" object
        Assert.Null(new ObjectStore(a.Repo).FindContent(first));
        Assert.False(File.Exists(new ObjectStore(a.Repo).BadPathFor(first)));
        await b.SyncAsync();
        Assert.Equal(Big('1', 4) + "edited before b fetched", b.Read("doc.bin"));
        Assert.Equal(Big('1', 4) + "edited before b fetched", a.Read("doc.bin"));
    }

    [Fact]
    public async Task LockingAThinFileMakesItsObjectReadOnly()
    {
        using var dir = new TempFolder();
        var (a, _) = await ThinPairAsync(dir);
        a.Write("big.bin", Big('l', 4));
        await a.SyncAsync();
        var key = UnlockedFilesTests.KeyAt(a, "HEAD:big.bin");

        AnnexedFiles.Entry file;
        using (var git = a.Repo.OpenGit()) file = AnnexedFiles.InTree(git.Head.Tip.Tree).Single(f => f.Path == "big.bin");
        Assert.Equal("locked", await new Kernel.Content.FileLocking(a.Repo, TimeProvider.System).LockAsync(file, CancellationToken.None));

        var obj = new ObjectStore(a.Repo).FindContent(key)!;
        Assert.Equal(1u, FileIdentity.LinkCount(obj));
        Assert.False(File.GetUnixFileMode(obj).HasFlag(UnixFileMode.UserWrite));
        Assert.Equal(Big('l', 4), File.ReadAllText(a.File("big.bin")));
    }

    [Fact]
    public async Task TheConfigsThinSettingIsMirroredIntoGitsConfigWhereGitAnnexAndTheStoreReadIt()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var thin = Kernel.Configuration.ConfigLoader.LoadFromText("annex:\n  unlocked: true\n  thin: true\n", "config.yml");
        Assert.True(thin.Annex.Thin);
        Kernel.Git.GitAnnexFilterConfig.Apply(a.Repo, thin);
        Assert.Equal("true", GitCli.Run(a.Path, "config", "--get", "annex.thin").Trim());
        Assert.True(new ObjectStore(a.Repo).IsThin);

        Kernel.Git.GitAnnexFilterConfig.Apply(a.Repo, Kernel.Configuration.ConfigLoader.LoadFromText("annex:\n  unlocked: true\n", "config.yml"));
        Assert.False(new ObjectStore(a.Repo).IsThin); // thin is off by default, and turning it off takes it out of git's config
        Assert.DoesNotContain("thin", GitCli.Run(a.Path, "config", "--local", "--list"));
    }
}
