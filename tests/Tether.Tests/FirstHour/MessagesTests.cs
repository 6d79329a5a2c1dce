using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>Mistakes are said once, plainly, with the fix; commit messages name what changed.</summary>
public sealed class MessagesTests
{
    [Fact]
    public async Task AMistypedCommandIsUnrecognisedWithASuggestionAndNothingElse()
    {
        using var dir = new TempFolder();
        var result = await CliRunner.RunAsync(dir.Path, "snyc");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unrecognized command or argument 'snyc': did you mean 'sync'?", result.Error);
        Assert.DoesNotContain("Required command was not provided", result.Error);
    }

    [Fact]
    public async Task AnUnknownOptionIsAnErrorNotARemoteName()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var result = await CliRunner.RunAsync(dir.Combine("a"), "sync", "--contnet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option '--contnet' for 'tether sync': did you mean '--content'?", result.Error);
        Assert.DoesNotContain("no remote named", result.Error);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Combine("a"), "sync", "--content")).ExitCode);
    }

    [Fact]
    public async Task GetOfAFileThatDoesNotExistSaysNoSuchFile()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        File.WriteAllText(dir.Combine("a", "small.txt"), "small\n");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Combine("a"), "sync")).ExitCode);

        var missing = await CliRunner.RunAsync(dir.Combine("a"), "get", "nosuch.txt");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("'nosuch.txt': no such file or folder", missing.Error);
        var small = await CliRunner.RunAsync(dir.Combine("a"), "get", "small.txt");
        Assert.Contains("'small.txt' is not an annexed file", small.Error); // it exists: the other message is the right one
    }

    [Fact]
    public async Task APlainFolderIsRefusedAtRemoteAddWithTheFix()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Directory.CreateDirectory(dir.Combine("plain"));
        File.WriteAllText(dir.Combine("plain", "x.txt"), "x");
        var result = await CliRunner.RunAsync(dir.Combine("a"), "remote", "add", "p", dir.Combine("plain"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"is a plain folder, not a repository: make it one with 'tether init {dir.Combine("plain")}'", result.Error);
        Assert.DoesNotContain("name: p", File.ReadAllText(dir.Combine("a", ".tether", "config.yml")));
    }

    [Fact]
    public async Task CommitMessagesNameThePathsShortenedPastAFew()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a", "--description", "laptop")).ExitCode);
        var a = dir.Combine("a");
        foreach (var name in (string[])["one.txt", "two.txt", "three.txt", "four.txt", "five.txt"]) File.WriteAllText(Path.Combine(a, name), name);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.Equal("tether in laptop: 5 added (five.txt, four.txt, one.txt and 2 more)", GitCli.Run(a, "log", "-1", "--format=%s").Trim());
        File.Delete(Path.Combine(a, "one.txt"));
        File.Delete(Path.Combine(a, "two.txt"));
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.Equal("tether in laptop: 2 deleted (one.txt, two.txt)", GitCli.Run(a, "log", "-1", "--format=%s").Trim());
    }
}
