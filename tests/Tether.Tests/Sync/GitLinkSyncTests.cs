using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// A peer commits a gitlink (a submodule: mode 160000): every node keeps it as git does, in the index with an empty
/// folder for it. Found by the red-team pass: the node that merged it committed "1 deleted" next, and that spread back.
/// </summary>
public sealed class GitLinkSyncTests
{
    private const string SubmoduleCommit = "1234567890123456789012345678901234567890";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AGitLinkCommittedByAPeerStaysInEveryTree(bool fastForward)
    {
        using var dir = new TempFolder();
        var (a, b) = await SyncedPairAsync(dir);
        GitCli.Run(b, "update-index", "--add", "--cacheinfo", $"160000,{SubmoduleCommit},sub");
        GitCli.Run(b, "commit", "-q", "-m", "add a gitlink");
        if (!fastForward) File.WriteAllText(Path.Combine(a, "local.txt"), "a's own change\n");

        await SyncAsync(b);
        await SyncAsync(a);
        if (!fastForward) Assert.Equal(2, GitCli.Run(a, "log", "-1", "--format=%P").Trim().Split(' ').Length);
        Assert.True(Directory.Exists(Path.Combine(a, "sub")), "git checkout makes an empty folder for a gitlink");
        File.WriteAllText(Path.Combine(a, "unrelated.txt"), "later\n");
        await SyncAsync(a);
        await SyncAsync(b);

        foreach (var node in new[] { a, b })
        {
            Assert.Equal($"160000 commit {SubmoduleCommit}\tsub", GitCli.Run(node, "ls-tree", "HEAD", "sub").Trim());
            Assert.Contains("unrelated.txt", WatchingNode.TreePaths(node, "HEAD"));
            Assert.DoesNotContain("deleted", GitCli.Run(node, "log", "--format=%s", "HEAD"));
        }
    }

    [Fact]
    public async Task ARealSubmoduleOfAPeerStaysInEveryTree()
    {
        using var dir = new TempFolder();
        var (a, b) = await SyncedPairAsync(dir);
        var library = dir.Combine("library");
        Directory.CreateDirectory(library);
        GitCli.Run(library, "init", "-q");
        File.WriteAllText(Path.Combine(library, "lib.c"), "int lib;\n");
        GitCli.Run(library, "add", "lib.c");
        GitCli.Run(library, "commit", "-q", "-m", "lib");
        var libraryHead = GitCli.Run(library, "rev-parse", "HEAD").Trim();
        GitCli.Run(b, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "lib");
        GitCli.Run(b, "commit", "-q", "-m", "add a submodule");

        await SyncAsync(b);
        await SyncAsync(a);
        File.WriteAllText(Path.Combine(a, "unrelated.txt"), "later\n");
        await SyncAsync(a);
        await SyncAsync(b);

        foreach (var node in new[] { a, b })
        {
            Assert.Equal($"160000 commit {libraryHead}\tlib", GitCli.Run(node, "ls-tree", "HEAD", "lib").Trim());
            Assert.Contains(".gitmodules", WatchingNode.TreePaths(node, "HEAD"));
            Assert.DoesNotContain("deleted", GitCli.Run(node, "log", "--format=%s", "HEAD"));
        }
        Assert.Equal("int lib;\n", File.ReadAllText(Path.Combine(b, "lib", "lib.c"))); // the peer's checkout is untouched
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheDaemonKeepsAGitLinkPushedIntoIt(bool fastForward)
    {
        using var dir = new TempFolder();
        var b = dir.Combine("b");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        using var a = await WatchingNode.StartAsync(dir.Combine("a"), b);
        File.WriteAllText(a.Combine("first.txt"), "first\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Contains("first.txt"), TimeSpan.FromSeconds(30), a.Daemon.Describe);
        GitCli.Run(b, "merge", "-q", "--ff-only", "synced/main");
        GitCli.Run(b, "update-index", "--add", "--cacheinfo", $"160000,{SubmoduleCommit},sub");
        GitCli.Run(b, "commit", "-q", "-m", "add a gitlink");
        if (!fastForward)
        {
            File.WriteAllText(a.Combine("local.txt"), "a's own change\n");
            await Eventually.TrueAsync(() => WatchingNode.TreePaths(a.Path, "HEAD").Contains("local.txt"), TimeSpan.FromSeconds(30), a.Daemon.Describe);
        }

        // A peer's push, once a's daemon has moved its own synced/main (forced past a's own commit: a true merge); a ref
        // locked by the daemon at that moment fails the push, which a peer tries again.
        await Eventually.TrueAsync(() => GitCli.Run(a.Path, "rev-parse", "HEAD") == GitCli.Run(a.Path, "rev-parse", "refs/heads/synced/main")
            && GitCli.TryRun(b, "push", "-q", a.Path, "+main:refs/heads/synced/main").ExitCode == 0, TimeSpan.FromSeconds(30), a.Daemon.Describe);
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a.Path, "HEAD").Contains("sub"), TimeSpan.FromSeconds(30), a.Daemon.Describe);
        if (!fastForward) Assert.Equal(2, GitCli.Run(a.Path, "log", "-1", "--format=%P").Trim().Split(' ').Length);
        File.WriteAllText(a.Combine("unrelated.txt"), "later\n");
        // Pushed to b (a's own synced/main moves first: b's sync would merge what it had before the push).
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Contains("unrelated.txt"), TimeSpan.FromSeconds(30), a.Daemon.Describe);
        await SyncAsync(b);

        foreach (var node in new[] { a.Path, b })
        {
            Assert.Equal($"160000 commit {SubmoduleCommit}\tsub", GitCli.Run(node, "ls-tree", "HEAD", "sub").Trim());
            Assert.Contains("unrelated.txt", WatchingNode.TreePaths(node, "HEAD"));
            Assert.DoesNotContain("deleted", GitCli.Run(node, "log", "--format=%s", "HEAD"));
        }
        Assert.Equal(0, await a.StopAsync());
    }

    [Fact]
    public async Task ARepositoryMadeInTheWatchedTreeIsCommittedAsAGitLinkAtOnceAndSaidSo()
    {
        using var dir = new TempFolder();
        using var a = await WatchingNode.StartAsync(dir.Combine("a"));
        var project = a.Combine("project");
        Directory.CreateDirectory(project);
        GitCli.Run(project, "init", "-q");
        File.WriteAllText(Path.Combine(project, "code.c"), "int main;\n");
        GitCli.Run(project, "add", "code.c");
        GitCli.Run(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c");
        var head = GitCli.Run(project, "rev-parse", "HEAD").Trim();

        await Eventually.TrueAsync(() => GitCli.TryRun(a.Path, "ls-tree", "HEAD", "project").Output.Trim() == $"160000 commit {head}\tproject",
            TimeSpan.FromSeconds(30), a.Daemon.Describe);
        Assert.Contains("project is a git repository of its own", a.Daemon.Output);
        Assert.Equal(0, await a.StopAsync());
    }

    [Fact]
    public async Task AGitLinkRemovedWithGitRmIsDeleted()
    {
        using var dir = new TempFolder();
        var (a, b) = await SyncedPairAsync(dir);
        GitCli.Run(b, "update-index", "--add", "--cacheinfo", $"160000,{SubmoduleCommit},sub");
        GitCli.Run(b, "commit", "-q", "-m", "add a gitlink");
        await SyncAsync(b);
        await SyncAsync(a);
        Directory.Delete(Path.Combine(a, "sub")); // by hand: git keeps the gitlink then, and so does Tether
        await SyncAsync(a);
        Assert.Contains("sub", WatchingNode.TreePaths(a, "HEAD"));

        GitCli.Run(a, "rm", "-q", "--cached", "sub");
        var sync = await CliRunner.RunAsync(a, "sync");

        Assert.Equal(0, sync.ExitCode);
        Assert.Contains("1 deleted", sync.Out);
        Assert.DoesNotContain("sub", WatchingNode.TreePaths(a, "HEAD"));
        await SyncAsync(b);
        Assert.DoesNotContain("sub", WatchingNode.TreePaths(b, "HEAD"));
    }

    [Fact]
    public async Task AGitLinkChangedOnBothSidesKeepsBothVersions()
    {
        using var dir = new TempFolder();
        var (a, b) = await SyncedPairAsync(dir);
        GitCli.Run(b, "update-index", "--add", "--cacheinfo", $"160000,{SubmoduleCommit},sub");
        GitCli.Run(b, "commit", "-q", "-m", "add a gitlink");
        await SyncAsync(b);
        await SyncAsync(a);
        var (ours, theirs) = (new string('a', 40), new string('b', 40));
        GitCli.Run(a, "update-index", "--cacheinfo", $"160000,{ours},sub");
        GitCli.Run(a, "commit", "-q", "-m", "a moves the gitlink");
        GitCli.Run(b, "update-index", "--cacheinfo", $"160000,{theirs},sub");
        GitCli.Run(b, "commit", "-q", "-m", "b moves the gitlink");

        await SyncAsync(a);
        await SyncAsync(b);
        await SyncAsync(a);

        var tree = GitCli.Run(a, "ls-tree", "-r", "HEAD");
        Assert.Equal(tree, GitCli.Run(b, "ls-tree", "-r", "HEAD"));
        Assert.Contains($"160000 commit {ours}\t", tree);
        Assert.Contains($"160000 commit {theirs}\t", tree);
        Assert.DoesNotContain("deleted", GitCli.Run(a, "log", "--format=%s", "HEAD"));
    }

    private static async Task<(string A, string B)> SyncedPairAsync(TempFolder dir)
    {
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "a", a)).ExitCode);
        File.WriteAllText(Path.Combine(a, "one.txt"), "one\n");
        await SyncAsync(a);
        await SyncAsync(b);
        return (a, b);
    }

    private static async Task SyncAsync(string node)
    {
        var sync = await CliRunner.RunAsync(node, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
    }
}
