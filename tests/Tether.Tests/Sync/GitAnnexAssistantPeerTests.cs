using System.Diagnostics;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// A real `git annex assistant --foreground` (a git-annex v10 repository on master, files added unlocked) and a
/// `tether watch` node (on main), remotes of each other: files saved on either side arrive with their content on the
/// other, and neither side's files change mode.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class GitAnnexAssistantPeerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AGitAnnexAssistantAndATetherDaemonSyncNamesAndContentBothWays()
    {
        using var dir = new TempFolder();
        var annex = dir.Combine("annex");
        var tetherPath = dir.Combine("tether");
        Directory.CreateDirectory(annex);
        GitCli.Run(annex, "-c", "init.defaultBranch=master", "init", "-q");
        GitCli.Run(annex, "annex", "init", "-q", "assistant-user");
        GitCli.Run(annex, "config", "annex.largefiles", "largerthan=1kb");
        GitCli.Run(annex, "config", "annex.addunlocked", "true");
        File.WriteAllText(Path.Combine(annex, "first.txt"), "so the branch exists\n");
        GitCli.Run(annex, "add", "first.txt");
        GitCli.Run(annex, "commit", "-q", "-m", "start");

        using var tether = await WatchingNode.StartAsync(tetherPath, annex);
        GitCli.Run(annex, "remote", "add", "tether", tetherPath);
        using var assistant = StartAssistant(annex);
        try
        {
            File.WriteAllText(Path.Combine(annex, "from-annex.bin"), new string('a', 8192));
            File.WriteAllText(Path.Combine(annex, "from-annex.txt"), "small, from the assistant\n");
            await Eventually.TrueAsync(() => ReadOrNull(Path.Combine(tetherPath, "from-annex.bin")) == new string('a', 8192)
                && ReadOrNull(Path.Combine(tetherPath, "from-annex.txt")) == "small, from the assistant\n", Patience, () => Describe(tether, annex));

            File.WriteAllText(Path.Combine(tetherPath, "from-tether.bin"), new string('t', 3 << 20));
            await Eventually.TrueAsync(() => ReadOrNull(Path.Combine(annex, "from-tether.bin")) == new string('t', 3 << 20), Patience, () => Describe(tether, annex));

            var status = await CliRunner.RunAsync(tetherPath, "status");
            Assert.Contains("branch: its master is synced with our branch", status.Out); // the mapping is shown, never a silent split

            foreach (var (root, name) in new[] { (tetherPath, "from-annex.bin"), (annex, "from-annex.bin"), (tetherPath, "from-tether.bin"), (annex, "from-tether.bin") })
                Assert.Null(new FileInfo(Path.Combine(root, name)).LinkTarget); // unlocked on both sides
        }
        finally
        {
            GitCli.TryRun(annex, "annex", "assistant", "--stop");
            if (!assistant.WaitForExit(20_000)) assistant.Kill(entireProcessTree: true);
        }
        Assert.Equal(0, await tether.StopAsync());
        GitCli.Run(annex, "annex", "fsck", "-q");
    }

    private static Process StartAssistant(string repo)
    {
        var start = new ProcessStartInfo("git", ["annex", "assistant", "--foreground"])
        {
            WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string? ReadOrNull(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : null; }
        catch (IOException) { return null; }
    }

    private static string Describe(WatchingNode tether, string annex) =>
        $"{tether.Daemon.Describe()}\n--- git-annex: {GitCli.TryRun(annex, "log", "--oneline", "-5", "--all").Output}\n{GitCli.TryRun(annex, "status", "--short").Output}\n" +
        $"{(File.Exists(Path.Combine(annex, ".git/annex/daemon.log")) ? string.Join('\n', File.ReadLines(Path.Combine(annex, ".git/annex/daemon.log")).TakeLast(30)) : "")}";
}
