using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety;

/// <summary>
/// An editor's atomic save (write a new file, rename it over the old) can land after the ingester hashed a file and
/// before it puts the link in its place. The link must never replace that save: the file is swapped back and ingested
/// again next time; the hashed version stays in the object store.
/// </summary>
public class IngestSaveRaceTests
{
    [Fact]
    public async Task AnAtomicSaveJustBeforeTheLinkReplacesTheFileIsKept()
    {
        using var dir = new TempFolder();
        var node = await Node.CreateAsync(dir.Combine("r"), "r");
        node.Write("video.mkv", new string('A', 4096));
        using var branch = new GitAnnexBranch(node.Repo, TimeProvider.System);
        var ingester = new Ingester(node.Repo, new ObjectStore(node.Repo), branch, node.Repo.RequireUuid())
        {
            BeforeReplace = () =>
            {
                File.WriteAllText(node.File(".video.mkv.swp"), new string('B', 5000));
                File.Move(node.File(".video.mkv.swp"), node.File("video.mkv"), overwrite: true);
            },
        };

        var outcome = await ingester.IngestAsync("video.mkv", CancellationToken.None);

        Assert.IsType<IngestOutcome.Unstable>(outcome);
        Assert.Null(new FileInfo(node.File("video.mkv")).LinkTarget);
        Assert.Equal(new string('B', 5000), node.Read("video.mkv"));
        Assert.Equal(new[] { "video.mkv" }, Directory.GetFileSystemEntries(node.Path).Select(Path.GetFileName).Where(n => n != ".git" && n != ".tether"));

        var again = await new Ingester(node.Repo, new ObjectStore(node.Repo), branch, node.Repo.RequireUuid()).IngestAsync("video.mkv", CancellationToken.None);
        var annexed = Assert.IsType<IngestOutcome.Annexed>(again);
        Assert.Equal(5000, annexed.Key.Size);
        Assert.Equal(new string('B', 5000), node.Read("video.mkv")); // through the link now
        Assert.NotNull(new FileInfo(node.File("video.mkv")).LinkTarget);
    }

    [Fact]
    public async Task AnAtomicSaveJustBeforeTheHardLinkNeverPutsTheNewFileUnderTheOldKey()
    {
        using var dir = new TempFolder();
        var node = await Node.CreateAsync(dir.Combine("r"), "r");
        node.Write("video.mkv", new string('A', 4096));
        var store = new ObjectStore(node.Repo);
        using var branch = new GitAnnexBranch(node.Repo, TimeProvider.System);
        var ingester = new Ingester(node.Repo, store, branch, node.Repo.RequireUuid())
        {
            BeforeLinkIn = () =>
            {
                File.WriteAllText(node.File(".video.mkv.swp"), new string('B', 5000));
                File.Move(node.File(".video.mkv.swp"), node.File("video.mkv"), overwrite: true);
            },
        };

        Assert.IsType<IngestOutcome.Unstable>(await ingester.IngestAsync("video.mkv", CancellationToken.None));
        var again = Assert.IsType<IngestOutcome.Annexed>(await new Ingester(node.Repo, store, branch, node.Repo.RequireUuid()).IngestAsync("video.mkv", CancellationToken.None));

        Assert.Equal(new string('B', 5000), node.Read("video.mkv"));
        Assert.Equal(5000, again.Key.Size);
        foreach (var key in store.EnumerateKeys()) // every object holds its key's content (seed 1477730708 found one that did not)
            Assert.True(await Tether.Platform.Hashing.KeyHasher.VerifyAsync(key, store.FindContent(key)!), $"{key} fails its hash");
    }

    [Fact]
    public async Task AFileDeletedJustBeforeTheLinkReplacesItStaysDeleted()
    {
        using var dir = new TempFolder();
        var node = await Node.CreateAsync(dir.Combine("r"), "r");
        node.Write("video.mkv", new string('A', 4096));
        using var branch = new GitAnnexBranch(node.Repo, TimeProvider.System);
        var ingester = new Ingester(node.Repo, new ObjectStore(node.Repo), branch, node.Repo.RequireUuid())
        {
            BeforeReplace = () => File.Delete(node.File("video.mkv")),
        };

        Assert.IsType<IngestOutcome.Vanished>(await ingester.IngestAsync("video.mkv", CancellationToken.None));
        Assert.False(File.Exists(node.File("video.mkv")) || new FileInfo(node.File("video.mkv")).LinkTarget is not null);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(node.Path).Select(Path.GetFileName), n => n != ".git" && n != ".tether");
    }
}
