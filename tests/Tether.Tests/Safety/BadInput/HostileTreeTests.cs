using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// File names received from a remote's git tree that try to leave the work tree, reach into .git, or plant
/// node-local files (.tether: config, hooks, plugins): the merge is refused before any ref or file changes.
/// </summary>
public sealed class HostileTreeTests
{
    public static TheoryData<string, string, string> Trees => new()
    {
        // label, the hand-made tree (git mktree lines, BLOB = a blob's id, SUB = a tree holding 'evil'), the path reported
        { "dot-dot folder", "040000 tree SUB\t..", "../evil" },
        { "dot folder", "040000 tree SUB\t.", "./evil" },
        { "a .git folder", "040000 tree SUB\t.git", ".git/evil" },
        { "a .GIT folder", "040000 tree SUB\t.GIT", ".GIT/evil" },
        { "a node-local hook", "040000 tree HOOKS\t.tether", ".tether/hooks/change.d/evil" },
        { "a link and a folder of one name", "120000 blob LINK\tdup\n040000 tree SUB\tdup", "dup" },
        { "two files of one name", "100644 blob BLOB\tdup\n100644 blob BLOB\tdup", "dup" },
        { "a name over 255 bytes", $"100644 blob BLOB\t{LongName}", LongName },
        { "a path over PATH_MAX", "040000 tree DEEP\tdeep", Shown(DeepPath) },
    };

    private static readonly string LongName = new('n', 256);
    private const int DeepLevels = 21; // 21 folders of 200 bytes: past 4,096 bytes wherever the work tree is
    private static readonly string DeepPath = "deep/" + string.Concat(Enumerable.Repeat(new string('d', 200) + "/", DeepLevels)) + "evil";

    private static string Shown(string path) => path[..150] + "…" + path[^150..];

    [Theory]
    [MemberData(nameof(Trees))]
    public async Task AReceivedTreeWithAnUnsafePathIsNotMergedAndNothingChanges(string label, string hostileEntry, string reported)
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        File.WriteAllText(Path.Combine(a, "mine.txt"), "mine\n");
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        CommitHostileTree(b, hostileEntry, parent: null, "refs/heads/main", "refs/heads/synced/main");
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        var before = DiskSnapshot.Of(a, "refs/heads/main");
        var outside = DiskSnapshot.Listing(dir.Path, skip: null);

        var sync = await CliRunner.RunAsync(a, "sync");

        Assert.True(sync.ExitCode != 0, $"{label}: {sync}");
        Assert.Contains($"it brings the unsafe path '{reported}'", sync.Out + sync.Error);
        Assert.Equal(before with { Config = "" }, DiskSnapshot.Of(a, "refs/heads/main") with { Config = "" }); // the config learns b's UUID
        Assert.Equal(outside.Split('\n').Where(l => !l.StartsWith("a/.git/", StringComparison.Ordinal)),
            DiskSnapshot.Listing(dir.Path, skip: null).Split('\n').Where(l => !l.StartsWith("a/.git/", StringComparison.Ordinal)));
        Assert.False(File.Exists(dir.Combine("evil")));
        Assert.DoesNotContain("hostile", GitCli.Run(a, "log", "--format=%s", "main"));
    }

    [Theory]
    [InlineData("040000 tree SUB\t..", "../evil")]
    [InlineData("120000 blob LINK\tdup\n040000 tree SUB\tdup", "dup")]
    public async Task TheDaemonRefusesAnUnsafeTreePushedIntoItAndGoesOn(string hostileEntry, string reported)
    {
        using var dir = new TempFolder();
        using var node = await WatchingNode.StartAsync(dir.Combine("a"));
        File.WriteAllText(node.Combine("mine.txt"), "mine\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("mine.txt"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        var head = GitCli.Run(node.Path, "rev-parse", "HEAD").Trim();

        // What a peer's push into our synced/main amounts to: its objects, then the ref moved (a fast-forward of ours).
        CommitHostileTree(node.Path, hostileEntry, parent: head, "refs/heads/synced/main");

        await Eventually.TrueAsync(() => node.Daemon.Output.Contains($"it brings the unsafe path '{reported}'"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        Assert.Equal(head, GitCli.Run(node.Path, "rev-parse", "HEAD").Trim());
        Assert.False(File.Exists(dir.Combine("evil")));
        File.WriteAllText(node.Combine("after.txt"), "still committing\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(node.Path, "HEAD").Contains("after.txt"), TimeSpan.FromSeconds(30), node.Daemon.Describe);
        Assert.DoesNotContain("ok.txt", WatchingNode.TreePaths(node.Path, "HEAD"));
        Assert.Equal(0, await node.StopAsync());
    }

    /// <summary>Points the refs at a commit whose tree holds ok.txt and the hostile entry (git mktree takes any name).</summary>
    private static void CommitHostileTree(string repo, string hostileEntry, string? parent, params string[] refs)
    {
        var blob = GitInput(repo, "evil\n", "hash-object", "-w", "--stdin");
        var sub = GitInput(repo, $"100644 blob {blob}\tevil\n", "mktree");
        var changeD = GitInput(repo, $"100755 blob {blob}\tevil\n", "mktree");
        var hooksChange = GitInput(repo, $"040000 tree {changeD}\tchange.d\n", "mktree");
        var hooks = GitInput(repo, $"040000 tree {hooksChange}\thooks\n", "mktree");
        var link = GitInput(repo, "target", "hash-object", "-w", "--stdin");
        var deep = sub;
        for (var level = 0; level < DeepLevels; level++) deep = GitInput(repo, $"040000 tree {deep}\t{new string('d', 200)}\n", "mktree");
        var entry = hostileEntry.Replace("SUB", sub).Replace("HOOKS", hooks).Replace("BLOB", blob).Replace("LINK", link).Replace("DEEP", deep);
        var tree = GitInput(repo, $"{entry}\n100644 blob {blob}\tok.txt\n", "mktree");
        var commit = GitCli.Run(repo, parent is null ? ["commit-tree", tree, "-m", "hostile"] : ["commit-tree", tree, "-p", parent, "-m", "hostile"]).Trim();
        foreach (var name in refs) GitCli.Run(repo, "update-ref", name, commit);
    }

    private static string GitInput(string repo, string input, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd().Trim();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
