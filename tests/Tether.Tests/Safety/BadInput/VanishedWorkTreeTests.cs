using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// A repository whose whole work tree vanishes under a running daemon (its drive unmounted) is never read as
/// "everything deleted": no deletion commit, nothing pushed, an error raised; once it is back, syncing goes on.
/// </summary>
public sealed class VanishedWorkTreeTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [RootFact]
    public async Task AnUnmountedWorkTreeIsNeverCommittedAsDeletedAndSyncingResumesWhenItIsBack()
    {
        using var dir = new TempFolder();
        var (store, a, b) = (dir.Combine("store"), dir.Combine("a"), dir.Combine("b"));
        using var storeMount = TestMount.Tmpfs(store, "64m");
        Directory.CreateDirectory(Path.Combine(store, "a"));
        using var drive = TestMount.Bind(Path.Combine(store, "a"), a); // the drive: unmounted and mounted again below
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        for (var i = 0; i < 5; i++) File.WriteAllText(Path.Combine(a, $"f{i}.txt"), $"file {i}\n");
        using var node = await WatchingNode.StartAsync(a, b);
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Count == 5, Soon, node.Daemon.Describe);
        var headBefore = GitCli.Run(Path.Combine(store, "a"), "rev-parse", "HEAD");
        var peerBefore = GitCli.Run(b, "rev-parse", "refs/heads/synced/main");

        Mounts.DetachLazily(a);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains($"The work tree {a} is gone"), Soon, node.Daemon.Describe);
        await Task.Delay(3000); // give a wrong deletion commit every chance to happen and be pushed
        Assert.False(node.Daemon.HasExited, node.Daemon.Describe());
        Assert.Equal(headBefore, GitCli.Run(Path.Combine(store, "a"), "rev-parse", "HEAD"));
        Assert.Equal(peerBefore, GitCli.Run(b, "rev-parse", "refs/heads/synced/main"));
        Assert.Equal(5, WatchingNode.TreePaths(b, "refs/heads/synced/main").Count);
        // The daemon still answers on its socket, reached through the drive's other mount point.
        var status = await CliRunner.RunAsync(Path.Combine(store, "a"), "status");
        Assert.Contains($"warning: The work tree {a} is gone", status.Out);
        var here = await CliRunner.RunAsync(a, "status");
        Assert.NotEqual(0, here.ExitCode);
        Assert.Contains($"'{a}' is empty and not in a git repository: if a drive holding a repository is mounted here, mount it again", here.Error);

        Mounts.Bind(Path.Combine(store, "a"), a);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains($"The work tree {a} is back"), Soon, node.Daemon.Describe);
        File.WriteAllText(Path.Combine(a, "after.txt"), "written once the drive was back\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").SetEquals(
            ["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt", "after.txt"]), Soon, node.Daemon.Describe);
        Assert.DoesNotContain("work tree", (await CliRunner.RunAsync(a, "status")).Out);
        Assert.Equal(0, await node.StopAsync());
    }
    [Fact]
    public async Task ARepositoryMovedAwayUnderTheDaemonIsNotCommittedAsDeletedAndSyncsAgainWhenMovedBack()
    {
        using var dir = new TempFolder();
        var (a, moved, b) = (dir.Combine("a"), dir.Combine("a-moved"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Directory.CreateDirectory(a);
        for (var i = 0; i < 3; i++) File.WriteAllText(Path.Combine(a, $"f{i}.txt"), $"file {i}\n");
        using var node = await WatchingNode.StartAsync(a, b);
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Count == 3, Soon, node.Daemon.Describe);
        var peerBefore = GitCli.Run(b, "rev-parse", "refs/heads/synced/main");

        Directory.Move(a, moved);
        Directory.CreateDirectory(a); // an empty folder where the repository was: "every file deleted", if read naively
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains($"The work tree {a} is gone"), Soon, node.Daemon.Describe);
        await Task.Delay(2000);
        Assert.Equal(peerBefore, GitCli.Run(b, "rev-parse", "refs/heads/synced/main"));
        Assert.Equal(3, WatchingNode.TreePaths(moved, "HEAD").Count);
        Assert.Equal("", DiskSnapshot.Listing(a, skip: null)); // nothing written into the stand-in folder

        Directory.Delete(a);
        Directory.Move(moved, a);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains($"The work tree {a} is back"), Soon, node.Daemon.Describe);
        File.WriteAllText(Path.Combine(a, "after.txt"), "after the move back\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").SetEquals(["f0.txt", "f1.txt", "f2.txt", "after.txt"]), Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }
    [RootFact]
    public async Task ATmpfsUnmountedUnderTheDaemonIsNotCommittedAsDeletedAndAFreshEmptyOneIsNotTakenForIt()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        using var drive = TestMount.Tmpfs(a, "64m");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        using var node = await WatchingNode.StartAsync(a, b);
        for (var i = 0; i < 3; i++) File.WriteAllText(Path.Combine(a, $"f{i}.txt"), $"file {i}\n");
        // Settled: the files are at the peer, and so is our git-annex branch (a topology record follows the first push).
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Count == 3
            && GitCli.Run(b, "rev-parse", "refs/heads/synced/git-annex") == GitCli.Run(a, "rev-parse", "refs/heads/git-annex"), Soon, node.Daemon.Describe);
        var peerBefore = GitCli.Run(b, "for-each-ref");

        Mounts.DetachLazily(a);
        await Eventually.TrueAsync(() => node.Daemon.Output.Contains($"The work tree {a} is gone"), Soon, node.Daemon.Describe);
        Mounts.Tmpfs(a, "64m"); // another, empty filesystem where the drive was (the dispose unmounts both)
        await Task.Delay(3000);

        Assert.False(node.Daemon.HasExited, node.Daemon.Describe());
        Assert.DoesNotContain($"The work tree {a} is back", node.Daemon.Output);
        Assert.Equal(peerBefore, GitCli.Run(b, "for-each-ref"));
        Assert.Equal("", DiskSnapshot.Listing(a, skip: null)); // the daemon wrote nothing into the stranger
        Assert.Equal(0, await node.StopAsync());
    }
}
