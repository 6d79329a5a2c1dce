using Tether.Kernel.Control;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Daemon;

/// <summary>`tether watch` as a real process on real repositories: commit, push to all, relay, retry, bursts, crashes.</summary>
public sealed class WatchDaemonTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CommitsAndPushesToEveryRemoteThenRelaysWhatArrivesFromOne()
    {
        using var dir = new TempFolder();
        var (a, b, c) = (dir.Combine("a"), dir.Combine("b"), dir.Combine("c"));
        await InitAsync(dir, "b", "c");
        using var node = await WatchingNode.StartAsync(a, b, c);

        var second = await TetherProcess.RunAsync(a, Soon, "watch");
        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"pid {node.Daemon.Id}", second.Output);

        File.WriteAllText(Path.Combine(a, "hello.txt"), "hi");
        await Eventually.TrueAsync(() => InSynced(b, "hello.txt") && InSynced(c, "hello.txt"), Soon, node.Daemon.Describe);
        Assert.Contains("hello.txt", WatchingNode.TreePaths(a, "HEAD"));

        // B syncs into A (a push into A's synced/main): A merges it and pushes it on to C, which B cannot reach.
        File.WriteAllText(Path.Combine(b, "from b.txt"), "made in b");
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "a", a)).ExitCode);
        var sync = await CliRunner.RunAsync(b, "sync", "a");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        await Eventually.TrueAsync(() => InSynced(c, "from b.txt") && File.Exists(Path.Combine(a, "from b.txt")), Soon, node.Daemon.Describe);
        Assert.Equal("made in b", File.ReadAllText(Path.Combine(a, "from b.txt")));
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task AMissingRemoteIsRetriedWithoutDelayingTheOtherAndAPokeSyncsItOnceBack()
    {
        using var dir = new TempFolder();
        var (a, b, c) = (dir.Combine("a"), dir.Combine("b"), dir.Combine("c"));
        await InitAsync(dir, "b", "c");
        using var node = await WatchingNode.StartAsync(a, b, c);
        Directory.Move(c, c + ".away");

        File.WriteAllText(Path.Combine(a, "while c is away.txt"), "x");
        await Eventually.TrueAsync(() => InSynced(b, "while c is away.txt"), Soon, node.Daemon.Describe);
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))!.Status!.Remotes.Single(r => r.Name == "c").LastPushOk == false, Soon, node.Daemon.Describe);
        var status = (await node.QueryAsync(ControlCommand.Status))!.Status!;
        var cStatus = status.Remotes.Single(r => r.Name == "c");
        Assert.NotNull(cStatus.NextRetryAt);
        Assert.True(cStatus.NextRetryAt > DateTimeOffset.UtcNow.AddMinutes(20), "the default retry interval is 30 minutes");
        Assert.True(status.Remotes.Single(r => r.Name == "b").LastPushOk);

        Directory.Move(c + ".away", c);
        var poke = await CliRunner.RunAsync(a, "poke", "c");
        Assert.True(poke.ExitCode == 0, poke.ToString());
        await Eventually.TrueAsync(() => InSynced(c, "while c is away.txt"), Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task TenThousandFilesUnderNewNestedFoldersAreAllCommittedInFewCommits()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        using var node = await WatchingNode.StartAsync(a);
        var before = WatchingNode.CommitCount(a, "HEAD");

        var expected = new List<string>();
        for (var d = 0; d < 100; d++)
            for (var f = 0; f < 100; f++) expected.Add($"burst/d{d:00}/sub/deeper/f{f:000}.txt");
        Parallel.ForEach(Enumerable.Range(0, 100), d =>
        {
            Directory.CreateDirectory(Path.Combine(a, $"burst/d{d:00}/sub/deeper"));
            for (var f = 0; f < 100; f++) File.WriteAllText(Path.Combine(a, $"burst/d{d:00}/sub/deeper/f{f:000}.txt"), $"{d}/{f}");
        });

        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").IsSupersetOf(expected), TimeSpan.FromMinutes(2),
            () => $"{expected.Count - WatchingNode.TreePaths(a, "HEAD").Intersect(expected).Count()} files not committed\n{node.Daemon.Output}");
        var commits = WatchingNode.CommitCount(a, "HEAD") - before;
        Assert.True(commits <= 20, $"{commits} commits for one burst");
        Assert.Equal("", GitCli.Run(a, "status", "--porcelain").Trim());
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task AnEditorsAtomicSaveIsOneModificationAndItsTempFileIsNeverCommitted()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        using var node = await WatchingNode.StartAsync(a);
        var file = Path.Combine(a, "notes.txt");
        File.WriteAllText(file, "first");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").Contains("notes.txt"), Soon, node.Daemon.Describe);

        var temp = Path.Combine(a, ".notes.txt.goutputstream-X1Y2Z3");
        File.WriteAllText(temp, "second");
        File.Move(temp, file, overwrite: true);

        await Eventually.TrueAsync(() => GitCli.Run(a, "show", "HEAD:notes.txt") == "second", Soon, node.Daemon.Describe);
        await Task.Delay(500); // anything late would show up as another commit
        var touching = GitCli.Run(a, "log", "--format=%H", "--", "notes.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, touching.Length);
        Assert.DoesNotContain("goutputstream", GitCli.Run(a, "log", "--all", "--name-only", "--format="));

        Assert.Equal(0, (await CliRunner.RunAsync(a, "stop")).ExitCode);
        await node.Daemon.WaitForExitAsync(Soon);
        Assert.Equal(0, node.Daemon.ExitCode);
        Assert.Contains("not running", (await CliRunner.RunAsync(a, "status")).Out);
    }

    [Fact]
    public async Task KillNineInTheMiddleOfABurstThenRestartCommitsEverythingCleanly()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        using var node = await WatchingNode.StartAsync(a);
        var random = new Random(7);
        var expected = new List<string>();
        for (var i = 0; i < 1500; i++)
        {
            var relative = i % 100 == 0 ? $"media/clip {i}.bin" : $"docs/{i % 30}/note {i}.txt";
            var bytes = new byte[i % 100 == 0 ? (2 << 20) : 300];
            random.NextBytes(bytes);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(a, relative))!);
            File.WriteAllBytes(Path.Combine(a, relative), bytes);
            expected.Add(relative);
            if (i == 700) node.Daemon.KillHard();
        }

        await node.StartDaemonAsync();
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").IsSupersetOf(expected) && GitCli.Run(a, "status", "--porcelain").Trim() == "",
            TimeSpan.FromMinutes(2), node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
        GitCli.Run(a, "fsck", "--no-progress");
        Assert.StartsWith("/annex/objects/", GitCli.Run(a, "cat-file", "-p", "HEAD:media/clip 0.bin")); // unlocked: a pointer in git
        Assert.Null(new FileInfo(Path.Combine(a, "media/clip 0.bin")).LinkTarget);
        if (GitCli.HasGitAnnex) GitCli.Run(a, "annex", "fsck", "--quiet");
    }

    [Fact]
    public async Task NewContentIsUploadedAndContentThatArrivesWithAMergeIsDownloaded()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        await InitAsync(dir, "b");
        using var node = await WatchingNode.StartAsync(a, b);
        var big = new string('a', 3 << 20);

        File.WriteAllText(Path.Combine(a, "big from a.bin"), big);
        await Eventually.TrueAsync(() => InSynced(b, "big from a.bin"), Soon, node.Daemon.Describe);
        await Eventually.TrueAsync(() => ObjectCount(b) == 1, Soon, node.Daemon.Describe);

        // B commits a large file and syncs git only: A merges it and fetches its content from B.
        File.WriteAllText(Path.Combine(b, "big from b.bin"), big + "b");
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "a", a)).ExitCode);
        var sync = await CliRunner.RunAsync(b, "sync", "--no-content", "a");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(a, "big from b.bin")) && File.ReadAllText(Path.Combine(a, "big from b.bin")) == big + "b",
            Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
        Assert.Contains("Committed", File.ReadAllText(Path.Combine(a, ".git", "tether", "daemon.log")));
    }

    private static int ObjectCount(string repo)
    {
        var objects = Path.Combine(repo, ".git", "annex", "objects");
        return Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Count() : 0;
    }

    private static bool InSynced(string repo, string path) => WatchingNode.TreePaths(repo, "refs/heads/synced/main").Contains(path);

    private static async Task InitAsync(TempFolder dir, params string[] names)
    {
        foreach (var name in names)
            Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", name, "--description", name)).ExitCode);
    }
}
