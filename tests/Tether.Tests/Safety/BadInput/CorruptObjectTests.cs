using Tether.Kernel.Annex;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// A write through a locked file's link (root can write a read-only object) must not spread: the object is checked
/// against its key before it is sent, quarantined in .git/annex/bad/ when it fails, and fetched again from a good copy.
/// </summary>
public sealed class CorruptObjectTests
{
    [RootFact]
    public async Task AnObjectWrittenThroughItsLinkIsNeverSentAndIsQuarantinedAndFetchedAgain()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        var c = await Node.CreateAsync(dir.Combine("c"), "c");
        a.AddRemote(b);
        b.AddRemote(a);
        a.Write("doc.bin", new string('g', 4096));
        await a.SyncAsync();
        await b.SyncAsync(); // b holds a good copy
        Assert.True(AnnexLink.TryReadLink(a.File("doc.bin"), out var key));

        File.AppendAllText(a.File("doc.bin"), "written through the link"); // root: the object's read-only mode does not stop it
        a.AddRemote(c);
        var report = await a.SyncAsync();

        Assert.Contains(report.Remotes["c"].Errors, e => e.Contains("does not match its key", StringComparison.Ordinal) && e.Contains("doc.bin", StringComparison.Ordinal));
        Assert.True(File.Exists(new ObjectStore(a.Repo).BadPathFor(key)));
        Assert.True(await Tether.Platform.Hashing.KeyHasher.VerifyAsync(key, new ObjectStore(a.Repo).FindContent(key)!)); // fetched again from b
        Assert.Null(new ObjectStore(c.Repo).FindContent(key)); // nothing bad reached c
        await a.SyncAsync();
        Assert.True(await Tether.Platform.Hashing.KeyHasher.VerifyAsync(key, new ObjectStore(c.Repo).FindContent(key)!)); // the good copy did
    }

    [RootFact]
    public async Task AsAnUnprivilegedUserAWriteThroughALockedFilesLinkIsRefusedAndTheObjectStaysWhole()
    {
        using var dir = new TempFolder();
        var (a, home) = await Unprivileged.LockedRepositoryAsync(dir);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        Unprivileged.Own(a, dir.Path);
        var (code, output) = await Unprivileged.TetherAsync(a, home, "sync");
        Assert.True(code == 0, output);
        Assert.True(AnnexLink.TryReadLink(Path.Combine(a, "big.bin"), out var key));

        var (writeCode, writeOutput) = GitCli.TryRunTool("setpriv", a, $"--reuid={Unprivileged.Uid}", $"--regid={Unprivileged.Uid}", "--clear-groups",
            "sh", "-c", "echo more >> big.bin");
        Assert.NotEqual(0, writeCode);
        Assert.Contains("Permission denied", writeOutput);
        Assert.True(await Tether.Platform.Hashing.KeyHasher.VerifyAsync(key, new ObjectStore(Kernel.Repositories.AnnexRepository.TryOpenWorkTree(a)!).FindContent(key)!));
    }
}
