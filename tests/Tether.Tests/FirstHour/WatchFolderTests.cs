using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>`tether watch` never adopts a git project it was not pointed at with `tether init`.</summary>
public sealed class WatchFolderTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchWithNoDirInsideAnotherProjectWatchesTheDefaultFolderAndLeavesTheProjectAlone()
    {
        using var dir = new TempFolder();
        var (project, home) = (dir.Combine("project"), dir.Combine("home"));
        var (head, status) = MakeProject(project);
        Directory.CreateDirectory(home);

        using var daemon = TetherProcess.Start(project, new Dictionary<string, string> { ["HOME"] = home }, "watch");
        await Eventually.TrueAsync(() => daemon.Output.Contains("tether: watching"), Soon, daemon.Describe);
        Assert.Contains($"no DIR given: watching {Path.Combine(home, "Tether")} (the default", daemon.Output);
        Assert.True(Directory.Exists(Path.Combine(home, "Tether", ".git")), daemon.Describe());
        daemon.Terminate();
        await daemon.WaitForExitAsync(Soon);

        AssertUntouched(project, head, status);
    }

    [Fact]
    public async Task WatchOnAnotherProjectIsRefusedWithTheCommandThatAdoptsIt()
    {
        using var dir = new TempFolder();
        var project = dir.Combine("project");
        var (head, status) = MakeProject(project);

        var (code, output) = await TetherProcess.RunAsync(dir.Path, Soon, "watch", project);

        Assert.Equal(2, code);
        Assert.Contains($"'tether init {project}' adopts it", output);
        AssertUntouched(project, head, status);
    }

    [Fact]
    public async Task WatchWithNoDirInsideATetherRepositoryWatchesIt()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "repo")).ExitCode);
        Directory.CreateDirectory(dir.Combine("repo", "sub"));
        using var daemon = TetherProcess.Start(dir.Combine("repo", "sub"), "watch");
        await Eventually.TrueAsync(() => daemon.Output.Contains("tether: watching"), Soon, daemon.Describe);
        Assert.Contains($"watching {dir.Combine("repo")} (the Tether repository you are in)", daemon.Output);
        daemon.Terminate();
        await daemon.WaitForExitAsync(Soon);
    }

    private static (string Head, string Status) MakeProject(string project)
    {
        Directory.CreateDirectory(project);
        GitCli.Run(project, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(project, "code.c"), "int main;\n");
        GitCli.Run(project, "add", "code.c");
        GitCli.Run(project, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "first");
        File.AppendAllText(Path.Combine(project, "code.c"), "// work in progress\n");
        File.WriteAllBytes(Path.Combine(project, "asset.png"), new byte[3 * 1024 * 1024]);
        return (GitCli.Run(project, "rev-parse", "HEAD"), GitCli.Run(project, "status", "--porcelain"));
    }

    private static void AssertUntouched(string project, string head, string status)
    {
        Assert.Equal(head, GitCli.Run(project, "rev-parse", "HEAD"));
        Assert.Equal(status, GitCli.Run(project, "status", "--porcelain"));
        Assert.Null(new FileInfo(Path.Combine(project, "asset.png")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(project, ".tether")));
        Assert.NotEqual(0, GitCli.TryRun(project, "config", "annex.uuid").ExitCode);
    }
}
