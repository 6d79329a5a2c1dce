using System.Diagnostics;
using Tether.Kernel.Git;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Committing;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// A path that cannot be committed (here a folder nested 1,000 deep: libgit2 walks 100 levels) is set aside and
/// reported once while everything else is committed; it is tried again after a back-off, never in a tight loop.
/// </summary>
public sealed class UncommittablePathTests
{
    private const string SetAsideLine = "which cannot be committed (folders nested deeper than 99)";

    [Fact]
    public async Task SyncSetsAsideAFolderNestedTooDeepAndCommitsTheRest()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var a = dir.Combine("a");
        NestFolders(a, 1000);
        File.WriteAllText(Path.Combine(a, "other.txt"), "other\n");

        var sync = await CliRunner.RunAsync(a, "sync");

        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("other.txt", WatchingNode.TreePaths(a, "HEAD"));
    }

    [Fact]
    public async Task TheDaemonSetsAsideAFolderNestedTooDeepSaysSoOnceAndKeepsCommitting()
    {
        using var dir = new TempFolder();
        using var node = await WatchingNode.StartAsync(dir.Combine("a"));
        NestFolders(node.Path, 1000);
        File.WriteAllText(node.Combine("other.txt"), "other\n");

        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("other.txt"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        var setAside = Stopwatch.StartNew();
        Assert.Contains((await node.QueryAsync(Tether.Kernel.Control.ControlCommand.Status))!.Status!.Warnings, w => w.Contains("set aside: d/d/d/", StringComparison.Ordinal));
        File.WriteAllText(node.Combine("later.txt"), "later\n");
        // A window holding at least two retries of the deep folder (2 s, then 4 s later): the old loop failed once a second.
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("later.txt") && setAside.Elapsed > SetAsidePaths.FirstRetry * 3.5,
            TimeSpan.FromSeconds(30), node.Daemon.Describe);

        Assert.Equal(1, node.Daemon.Output.Split(SetAsideLine).Length - 1);
        Assert.DoesNotContain("Commit failed", node.Daemon.Output);
        Assert.Equal(0, await node.StopAsync());
    }

    /// <summary>d/d/…/d/deep.txt, made through directory handles (a path that long is past PATH_MAX).</summary>
    private static void NestFolders(string root, int depth)
    {
        var script = $"import os\nfd=os.open('.',os.O_RDONLY)\nfor i in range({depth}):\n os.mkdir('d',dir_fd=fd); n=os.open('d',os.O_RDONLY,dir_fd=fd); os.close(fd); fd=n\n"
            + "f=os.open('deep.txt',os.O_WRONLY|os.O_CREAT,0o644,dir_fd=fd); os.write(f,b'deep\\n')\n";
        GitCli.RunTool("python3", root, "-c", script);
    }
}
