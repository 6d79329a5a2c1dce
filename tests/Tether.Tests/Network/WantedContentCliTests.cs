using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Network;

/// <summary>`tether get --auto` and `tether drop --auto` follow the repository's wants, as git-annex's --auto follows preferred content.</summary>
public class WantedContentCliTests
{
    private static readonly string Large = new('L', 2 * 1024 * 1024);

    private static bool HasContent(string repo, string file) =>
        new FileInfo(Path.Combine(repo, file)).ResolveLinkTarget(returnFinalTarget: true)?.Exists == true;

    [Fact]
    public async Task GetAndDropWithAutoFollowTheWants()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "a");
        await CliRunner.RunAsync(dir.Path, "init", "--locked", "b");
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        await CliRunner.RunAsync(a, "remote", "add", "b", "../b");
        await CliRunner.RunAsync(b, "remote", "add", "a", "../a");
        Directory.CreateDirectory(Path.Combine(a, "photos"));
        Directory.CreateDirectory(Path.Combine(a, "docs"));
        File.WriteAllText(Path.Combine(a, "photos", "p.bin"), Large + "p");
        File.WriteAllText(Path.Combine(a, "docs", "d.bin"), Large + "d");
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "sync")).ExitCode);
        Assert.True(HasContent(b, "docs/d.bin") && HasContent(b, "photos/p.bin"));

        var config = Path.Combine(b, ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\nwants: all\n", "\nwants: [\"photos/**\"]\n"));
        Assert.Contains("wants: [\"photos/**\"]", (await CliRunner.RunAsync(b, "config", "check")).Out);

        var drop = await CliRunner.RunAsync(b, "drop", "--auto", ".");
        Assert.True(drop.ExitCode == 0, drop.ToString());
        Assert.False(HasContent(b, "docs/d.bin"), "unwanted content should be dropped");
        Assert.True(HasContent(b, "photos/p.bin"), "wanted content should stay");

        Assert.Equal(0, (await CliRunner.RunAsync(b, "get", "--auto", ".")).ExitCode);
        Assert.False(HasContent(b, "docs/d.bin"), "get --auto fetched unwanted content");
        Assert.Equal(0, (await CliRunner.RunAsync(b, "sync")).ExitCode);
        Assert.False(HasContent(b, "docs/d.bin"), "sync fetched unwanted content");

        Assert.Equal(0, (await CliRunner.RunAsync(b, "get", "docs")).ExitCode);
        Assert.True(HasContent(b, "docs/d.bin"), "an explicit get fetches whatever it is asked");
    }
}
