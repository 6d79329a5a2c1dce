using Tether.Kernel.Control;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Committing;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Work-tree entries that cannot be synced as they are: FIFOs and device nodes (never opened: reading a FIFO would
/// block forever), unreadable files, symlinks pointing outside the repository, files gone between detection and
/// ingest. None stops a commit or hangs; each is named in a warning; none is changed on disk.
/// </summary>
public sealed class UnreadableAndSpecialFileTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [RootFact]
    public async Task SyncLeavesAFifoAndADeviceNodeAloneSaysSoAndDoesNotHang()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        Unprivileged.Run("mkfifo", Path.Combine(a, "pipe"));
        Unprivileged.Run("mknod", Path.Combine(a, "null"), "c", "1", "3");
        File.WriteAllText(Path.Combine(a, "ok.txt"), "ok\n");
        var before = DiskSnapshot.Listing(a, skip: ".git");

        var (code, output) = await TetherProcess.RunAsync(a, Soon, "sync");

        Assert.True(code == 0, output);
        Assert.Contains("Skipping pipe: a named pipe (FIFO) is not a regular file, symlink or folder; it is never read nor committed", output);
        Assert.Contains("Skipping null: a character device is not a regular file, symlink or folder; it is never read nor committed", output);
        Assert.Equal(["ok.txt"], WatchingNode.TreePaths(a, "HEAD"));
        Assert.Equal(before, DiskSnapshot.Listing(a, skip: ".git"));
    }

    [RootFact]
    public async Task TheDaemonLeavesAFifoAndADeviceNodeMadeWhileItWatchesAloneAndSaysSo()
    {
        using var dir = new TempFolder();
        using var node = await WatchingNode.StartAsync(dir.Combine("a"));
        Unprivileged.Run("mkfifo", node.Combine("pipe"));
        Unprivileged.Run("mknod", node.Combine("null"), "c", "1", "3");
        File.WriteAllText(node.Combine("after.txt"), "written after them\n");

        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("after.txt"), Soon, node.Daemon.Describe);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains("Skipping pipe: a named pipe (FIFO)") && node.Daemon.Output.Contains("Skipping null: a character device"), Soon, node.Daemon.Describe);
        Assert.Equal(["after.txt"], WatchingNode.TreePaths(node.Path, "HEAD"));
        Assert.True((await node.QueryAsync(ControlCommand.Status))?.Ok, "the daemon still answers");
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task ASymlinkOutsideTheRepositoryIsCommittedAsALinkNeverFollowedNorAnnexedAndReported()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        PluginTestFiles.WriteRandom(dir.Combine("outside.bin"), 2 << 20); // larger than larger_than: annexed, were it followed
        File.CreateSymbolicLink(Path.Combine(a, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(a, "escape"), "../outside.bin");
        File.WriteAllText(Path.Combine(a, "inside.txt"), "inside\n");
        File.CreateSymbolicLink(Path.Combine(a, "near"), "inside.txt");
        var before = DiskSnapshot.Listing(dir.Path, skip: "a/.git");

        var (code, output) = await TetherProcess.RunAsync(a, Soon, "sync");

        Assert.True(code == 0, output);
        Assert.Contains("passwd is a symlink to /etc/passwd, outside the repository: committed as a link, as git does; never followed, what it points to is not synced", output);
        Assert.Contains("escape is a symlink to ../outside.bin, outside the repository", output);
        Assert.DoesNotContain("near is a symlink", output);
        Assert.Equal("/etc/passwd", GitCli.Run(a, "cat-file", "blob", "HEAD:passwd"));
        Assert.Equal("../outside.bin", GitCli.Run(a, "cat-file", "blob", "HEAD:escape"));
        Assert.StartsWith("120000", GitCli.Run(a, "ls-tree", "HEAD", "escape"));
        Assert.Equal("", DiskSnapshot.Listing(Path.Combine(a, ".git", "annex", "objects"), skip: null));
        Assert.Equal(before, DiskSnapshot.Listing(dir.Path, skip: "a/.git"));
    }

    [RootFact]
    public async Task AnUnreadableFileIsLeftOutAndNamedWhileTheRestIsCommittedAndItFollowsOnceReadable()
    {
        using var dir = new TempFolder();
        var (a, home) = await Unprivileged.LockedRepositoryAsync(dir);
        File.WriteAllText(Path.Combine(a, "ok.txt"), "ok\n");
        File.WriteAllText(Path.Combine(a, "secret.txt"), "small and unreadable\n");
        PluginTestFiles.WriteRandom(Path.Combine(a, "secret.bin"), 2 << 20); // large: would be annexed
        Unprivileged.Own(a, dir.Path);
        File.SetUnixFileMode(Path.Combine(a, "secret.txt"), UnixFileMode.None);
        File.SetUnixFileMode(Path.Combine(a, "secret.bin"), UnixFileMode.None);
        var before = DiskSnapshot.Listing(a, skip: ".git");

        var (code, output) = await Unprivileged.TetherAsync(a, home, "sync");

        Assert.True(code == 0, output);
        Assert.Contains("Skipping secret.txt: it cannot be read (permission denied); it is committed once it can be read", output);
        Assert.Contains("Skipping secret.bin: it cannot be read (permission denied); it is committed once it can be read", output);
        Assert.Equal("ok.txt", CommittedAsRoot(a));
        Assert.Equal(before, DiskSnapshot.Listing(a, skip: ".git"));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(a, "secret.bin")));
        Assert.Equal("", DiskSnapshot.Listing(Path.Combine(a, ".git", "annex", "objects"), skip: null));

        File.SetUnixFileMode(Path.Combine(a, "secret.txt"), (UnixFileMode)0x1A4 /* 0644 */);
        File.SetUnixFileMode(Path.Combine(a, "secret.bin"), (UnixFileMode)0x1A4);
        var again = await Unprivileged.TetherAsync(a, home, "sync");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal("ok.txt secret.bin secret.txt", CommittedAsRoot(a));
        Assert.NotNull(new FileInfo(Path.Combine(a, "secret.bin")).LinkTarget); // annexed now
    }

    /// <summary>HEAD's paths, read by root in a repository nobody owns (git's safe.directory check waived for it).</summary>
    private static string CommittedAsRoot(string repo) =>
        string.Join(' ', GitCli.Run(repo, "-c", "safe.directory=*", "ls-tree", "-r", "--name-only", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData("gone.bin", true)]
    [InlineData("gone.txt", false)]
    public async Task AFileDeletedBetweenDetectionAndIngestIsNeitherAnErrorNorCommitted(string name, bool large)
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("a"), "a", false, CancellationToken.None);
        File.WriteAllText(dir.Combine("a", "ok.txt"), "ok\n");
        PluginTestFiles.WriteRandom(dir.Combine("a", name), 300_000);
        // The size test runs after the status scan saw the file and right before it is ingested or staged: delete it there.
        bool DeleteThenDecide(string path, long size)
        {
            if (path == name) File.Delete(dir.Combine("a", name));
            return large && path == name;
        }
        var committer = new WorkTreeCommitter(repo, DeleteThenDecide, "a", TimeProvider.System, NullLogger.Instance);

        var result = await committer.CommitPendingAsync([name, "ok.txt"], CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(["ok.txt"], result.Added);
        Assert.Empty(result.Annexed);
        Assert.Equal(["ok.txt"], WatchingNode.TreePaths(repo.WorkTree!, "HEAD"));
        Assert.Equal("", DiskSnapshot.Listing(repo.ObjectsDir, skip: null));
        Assert.Empty(GitCli.Run(repo.WorkTree!, "status", "--porcelain"));
    }
}
