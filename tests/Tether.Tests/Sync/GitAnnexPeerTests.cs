using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// A plain git-annex v10 repository (git init: branch master) and a Tether node (branch main), remotes of each other,
/// synced by `git annex sync --content` there and Tether here: names and content cross both ways, unlocked files stay
/// unlocked and locked ones locked on both sides, and the two main lines converge whatever their names.
/// </summary>
public sealed class GitAnnexPeerTests
{
    private static string Big(char fill) => new(fill, 4096);

    [Fact]
    public async Task AGitAnnexRepositoryOnMasterAndATetherNodeOnMainSyncBothWaysInBothModes()
    {
        using var dir = new TempFolder();
        var annex = dir.Combine("annex");
        Directory.CreateDirectory(annex);
        GitCli.Run(annex, "-c", "init.defaultBranch=master", "init", "-q");
        GitCli.Run(annex, "annex", "init", "-q", "annex-user");
        GitCli.Run(annex, "config", "annex.largefiles", "largerthan=1kb");
        var tether = await Node.CreateAsync(dir.Combine("tether"), "tether");
        tether.Unlocked = true;
        Assert.Equal(0, (await CliRunner.RunAsync(tether.Path, "remote", "add", "annex", annex)).ExitCode); // the config and git, for remote list
        tether.AddRemote("annex", annex);
        GitCli.Run(annex, "remote", "add", "tether", tether.Path);

        File.WriteAllText(Path.Combine(annex, "small.txt"), "small from git-annex\n");
        File.WriteAllText(Path.Combine(annex, "unlocked.bin"), Big('u'));
        File.WriteAllText(Path.Combine(annex, "locked.bin"), Big('l'));
        GitCli.Run(annex, "annex", "add", "-q", "locked.bin");
        GitCli.Run(annex, "add", "small.txt", "unlocked.bin"); // git add: unlocked, as the assistant adds
        GitCli.Run(annex, "commit", "-q", "-m", "from git-annex");
        tether.Write("mine.bin", Big('t'));
        tether.Write("mine.txt", "small from tether\n");

        await tether.SyncAsync();
        GitCli.Run(annex, "annex", "sync", "-q", "--content");
        await tether.SyncAsync();
        GitCli.Run(annex, "annex", "sync", "-q", "--content");

        Assert.Equal(Big('u'), tether.Read("unlocked.bin"));
        Assert.Null(new FileInfo(tether.File("unlocked.bin")).LinkTarget);          // still unlocked here
        Assert.NotNull(new FileInfo(tether.File("locked.bin")).LinkTarget);         // still locked here
        Assert.Equal(Big('l'), tether.Read("locked.bin"));
        Assert.Equal("small from git-annex\n", tether.Read("small.txt"));
        Assert.Equal(Big('t'), File.ReadAllText(Path.Combine(annex, "mine.bin")));
        Assert.Null(new FileInfo(Path.Combine(annex, "mine.bin")).LinkTarget);      // ours arrive unlocked there
        Assert.Null(new FileInfo(Path.Combine(annex, "unlocked.bin")).LinkTarget);  // theirs never changed mode
        Assert.Equal("small from tether\n", File.ReadAllText(Path.Combine(annex, "mine.txt")));

        Assert.Equal(GitCli.Run(annex, "rev-parse", "master^{tree}"), GitCli.Run(tether.Path, "rev-parse", "main^{tree}"));
        Assert.Equal("", GitCli.Run(tether.Path, "status", "--porcelain"));
        Assert.Equal("", GitCli.Run(annex, "status", "--porcelain"));
        GitCli.Run(annex, "annex", "fsck", "-q");
        GitCli.Run(tether.Path, "annex", "fsck", "-q");
        Assert.Contains("branch main <-> master", (await CliRunner.RunAsync(tether.Path, "remote", "list")).Out); // the mapping is shown
    }
}
