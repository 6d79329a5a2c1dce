using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Cli;

public class CliTests
{
    private static readonly string Large = new('L', 2 * 1024 * 1024);

    [Fact]
    public async Task InitTwiceKeepsTheUuidAndConfig()
    {
        using var dir = new TempFolder();
        var first = await CliRunner.RunAsync(dir.Path, "init", "--locked", "repo", "--description", "my laptop");
        Assert.Equal(0, first.ExitCode);
        var uuid = GitCli.Run(dir.Combine("repo"), "config", "annex.uuid").Trim();
        File.AppendAllText(dir.Combine("repo", ".tether", "config.yml"), "# my own note\n");
        var second = await CliRunner.RunAsync(dir.Path, "init", "--locked", "repo");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(uuid, GitCli.Run(dir.Combine("repo"), "config", "annex.uuid").Trim());
        Assert.EndsWith("# my own note\n", File.ReadAllText(dir.Combine("repo", ".tether", "config.yml")));
        Assert.Contains($"{uuid} my laptop timestamp=", GitCli.Run(dir.Combine("repo"), "show", "git-annex:uuid.log"));
        Assert.Contains("/.tether/", File.ReadAllText(dir.Combine("repo", ".git", "info", "exclude")));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Combine("repo"), "sync")).ExitCode);
        Assert.DoesNotContain(".tether", GitCli.Run(dir.Combine("repo"), "ls-files"));
    }

    [Fact]
    public async Task RemoteAddListRemoveEditConfigAndGitTogether()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "a");
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "b");
        var a = dir.Combine("a");
        var add = await CliRunner.RunAsync(a, "remote", "add", "bee", "../b", "--cost", "150");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal(dir.Combine("b"), GitCli.Run(a, "config", "remote.bee.url").Trim());
        var list = await CliRunner.RunAsync(a, "remote", "list");
        Assert.Contains("bee\tlocal\tcost 150\t" + dir.Combine("b"), list.Out);

        var before = File.ReadAllText(dir.Combine("a", ".tether", "config.yml"));
        var duplicate = await CliRunner.RunAsync(a, "remote", "add", "bee", "../b");
        Assert.Equal(2, duplicate.ExitCode);
        Assert.Contains("bee", duplicate.Error);
        Assert.Equal(before, File.ReadAllText(dir.Combine("a", ".tether", "config.yml")));

        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "remove", "bee")).ExitCode);
        Assert.DoesNotContain("bee", (await CliRunner.RunAsync(a, "remote", "list")).Out);
        Assert.NotEqual(0, GitCli.TryRun(a, "config", "remote.bee.url").ExitCode);
    }

    [Fact]
    public async Task RemoteAddRefusesAMissingPath()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "a");
        var result = await CliRunner.RunAsync(dir.Combine("a"), "remote", "add", "nowhere", "/nonexistent/place");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'/nonexistent/place' does not exist", result.Error);
    }

    [Fact]
    public async Task SyncWithOneDeadRemoteExitsOneAndSyncsTheOthers()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "a");
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "b");
        Directory.CreateDirectory(dir.Combine("c"));
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "c");
        var a = dir.Combine("a");
        await CliRunner.RunAsync(a, "remote", "add", "b", "../b");
        await CliRunner.RunAsync(a, "remote", "add", "c", "../c");
        Directory.Delete(dir.Combine("c"), recursive: true);
        File.WriteAllText(Path.Combine(a, "note.txt"), "n\n");
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.Equal(1, sync.ExitCode);
        Assert.Contains("remote b: ok", sync.Out);
        Assert.Contains("remote c: FAILED", sync.Out);
        Assert.Contains("note.txt", GitCli.Run(dir.Combine("b"), "ls-tree", "-r", "synced/main"));
    }

    [Fact]
    public async Task WhereisGetAndDropRespectNumcopies()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "a", "--description", "alpha");
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "b", "--description", "beta");
        var a = dir.Combine("a");
        var b = dir.Combine("b");
        File.WriteAllText(Path.Combine(a, "big.bin"), Large);
        var lonelyDrop = await CliRunner.RunAsync(a, "sync");
        Assert.Equal(0, lonelyDrop.ExitCode);
        var refused = await CliRunner.RunAsync(a, "drop", "big.bin");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("REFUSED", refused.Out);
        Assert.Equal(Large, File.ReadAllText(Path.Combine(a, "big.bin")));

        await CliRunner.RunAsync(a, "remote", "add", "b", "../b");
        await CliRunner.RunAsync(b, "remote", "add", "a", "../a");
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        var whereis = await CliRunner.RunAsync(a, "whereis", "big.bin");
        Assert.Contains("big.bin (2 copies)", whereis.Out);
        Assert.Contains("alpha [here]", whereis.Out);
        Assert.Contains("beta [b]", whereis.Out);

        var drop = await CliRunner.RunAsync(a, "drop", "big.bin");
        Assert.True(drop.ExitCode == 0, drop.ToString());
        var link = new FileInfo(Path.Combine(a, "big.bin"));
        Assert.NotNull(link.LinkTarget); // the annex link stays, as after `git annex drop`
        Assert.False(link.ResolveLinkTarget(returnFinalTarget: true)!.Exists, "content should be gone");
        Assert.Contains("(1 copy)", (await CliRunner.RunAsync(a, "whereis", "big.bin")).Out);

        var get = await CliRunner.RunAsync(a, "get", ".");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(Large, File.ReadAllText(Path.Combine(a, "big.bin")));
    }

    [Fact]
    public async Task UsageErrorsExitTwo()
    {
        using var dir = new TempFolder();
        Assert.Equal(2, (await CliRunner.RunAsync(dir.Path, "frobnicate")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync(dir.Path, "sync")).ExitCode); // not a repository
        Assert.Equal(2, (await CliRunner.RunAsync(dir.Path, "remote", "add")).ExitCode);
    }
}
