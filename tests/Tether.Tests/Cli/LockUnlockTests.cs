using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Cli;

/// <summary>
/// `tether unlock` / `tether lock` convert annexed files as `git annex unlock/lock` do; `git annex unlock` made by hand is
/// synced as it is; `tether drop` of an unlocked file puts its pointer file back, only with numcopies verified copies.
/// </summary>
public sealed class LockUnlockTests
{
    private static async Task<(string A, string B)> TwoRepositoriesAsync(TempFolder dir, params string[] initOptions)
    {
        foreach (var name in new[] { "a", "b" })
            Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, ["init", .. initOptions, name])).ExitCode);
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", "../b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "a", "../a")).ExitCode);
        return (a, b);
    }

    private static async Task SyncAsync(string repo)
    {
        var sync = await CliRunner.RunAsync(repo, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
    }

    [Fact]
    public async Task UnlockThenEditThenLockAndTheOtherNodeFollowsEachStep()
    {
        using var dir = new TempFolder();
        var (a, b) = await TwoRepositoriesAsync(dir, "--locked");
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "photo.jpg"), 2 << 20);
        await SyncAsync(a);
        await SyncAsync(b);
        Assert.NotNull(new FileInfo(Path.Combine(b, "photo.jpg")).LinkTarget);

        var unlock = await CliRunner.RunAsync(a, "unlock", "photo.jpg");
        Assert.True(unlock.ExitCode == 0, unlock.ToString());
        Assert.Contains("unlock photo.jpg: unlocked", unlock.Out);
        Assert.Null(new FileInfo(Path.Combine(a, "photo.jpg")).LinkTarget);
        File.AppendAllText(Path.Combine(a, "photo.jpg"), "edited");
        await SyncAsync(a);
        await SyncAsync(b);
        Assert.Null(new FileInfo(Path.Combine(b, "photo.jpg")).LinkTarget); // unlocked on b too
        Assert.Equal([.. content, .. "edited"u8.ToArray()], File.ReadAllBytes(Path.Combine(b, "photo.jpg")));

        var locked = await CliRunner.RunAsync(b, "lock", "photo.jpg");
        Assert.True(locked.ExitCode == 0, locked.ToString());
        await SyncAsync(b);
        await SyncAsync(a);
        Assert.NotNull(new FileInfo(Path.Combine(a, "photo.jpg")).LinkTarget);
        Assert.Equal([.. content, .. "edited"u8.ToArray()], File.ReadAllBytes(Path.Combine(a, "photo.jpg")));
        foreach (var repo in new[] { a, b })
        {
            Assert.Equal("", GitCli.Run(repo, "status", "--porcelain"));
            GitCli.Run(repo, "annex", "fsck", "--quiet");
        }
    }

    [Fact]
    public async Task GitAnnexUnlockAndLockByHandAreSyncedAsTheyAre()
    {
        using var dir = new TempFolder();
        var (a, b) = await TwoRepositoriesAsync(dir);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        await SyncAsync(a);
        await SyncAsync(b);
        Assert.Null(new FileInfo(Path.Combine(b, "big.bin")).LinkTarget);

        GitCli.Run(b, "annex", "lock", "big.bin");
        await SyncAsync(b);
        await SyncAsync(a);
        Assert.NotNull(new FileInfo(Path.Combine(a, "big.bin")).LinkTarget);

        GitCli.Run(a, "annex", "unlock", "big.bin");
        await SyncAsync(a);
        await SyncAsync(b);
        Assert.Null(new FileInfo(Path.Combine(b, "big.bin")).LinkTarget);
        Assert.Equal("", GitCli.Run(b, "status", "--porcelain"));
        GitCli.Run(b, "annex", "fsck", "--quiet");
    }

    [Fact]
    public async Task DropOfAnUnlockedFileLeavesItsPointerFileAndOnlyWithACopyElsewhere()
    {
        using var dir = new TempFolder();
        var (a, b) = await TwoRepositoriesAsync(dir);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        await SyncAsync(a);

        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "remove", "b")).ExitCode); // no copy anywhere else reachable
        var refused = await CliRunner.RunAsync(a, "drop", "big.bin");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("REFUSED", refused.Out);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));

        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", "../b")).ExitCode);
        await SyncAsync(b); // b fetches the content
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(b, "big.bin")));
        var dropped = await CliRunner.RunAsync(a, "drop", "big.bin");
        Assert.True(dropped.ExitCode == 0, dropped.ToString());
        Assert.StartsWith("/annex/objects/SHA256E-s2097152--", File.ReadAllText(Path.Combine(a, "big.bin")));
        Assert.Equal("", GitCli.Run(a, "status", "--porcelain"));

        var got = await CliRunner.RunAsync(a, "get", "big.bin");
        Assert.True(got.ExitCode == 0, got.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
        Assert.Equal("", GitCli.Run(a, "status", "--porcelain"));
    }

    [Fact]
    public async Task GitAnnexsOwnFilterAgreesWithTetherOnWhatIsLargeSoPlainGitCommandsKeepSmallFilesInGit()
    {
        using var dir = new TempFolder();
        var (a, _) = await TwoRepositoriesAsync(dir);
        Assert.Equal("largerthan=1048575b", GitCli.Run(a, "config", "annex.largefiles").Trim());
        File.WriteAllText(Path.Combine(a, "small.txt"), "small\n");
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        await SyncAsync(a);

        File.AppendAllText(Path.Combine(a, "small.txt"), "edited by hand\n"); // then committed with plain git
        File.SetLastWriteTimeUtc(Path.Combine(a, "big.bin"), DateTime.UtcNow.AddMinutes(1)); // stat changed, content not
        GitCli.Run(a, "add", "small.txt", "big.bin");
        GitCli.Run(a, "commit", "-q", "-m", "by hand");
        Assert.Equal("small\nedited by hand\n", GitCli.Run(a, "cat-file", "-p", "HEAD:small.txt")); // in git, not annexed
        Assert.StartsWith("/annex/objects/SHA256E-s2097152--", GitCli.Run(a, "cat-file", "-p", "HEAD:big.bin"));
        Assert.Equal("", GitCli.Run(a, "status", "--porcelain"));
    }
}
