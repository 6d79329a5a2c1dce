using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Copies are counted by repository: a remote that is this repository (its own path, a symlink to it) is no copy,
/// and two remotes on one repository are one copy. `remote add` refuses both; a config that already has such a
/// remote (written by hand, or before the check) still never lets `drop` delete the last copy.
/// </summary>
public sealed class SameRepositoryRemoteTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7 % 251)).ToArray();

    [Theory]
    [InlineData("its own path")]
    [InlineData("a symlink to it")]
    public async Task RemoteAddRefusesThisRepositoryAndNothingChanges(string how)
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        File.CreateSymbolicLink(dir.Combine("link-to-a"), a);
        var place = how == "its own path" ? a : dir.Combine("link-to-a");
        var uuid = GitCli.Run(a, "config", "annex.uuid").Trim();
        var yaml = File.ReadAllText(Path.Combine(a, ".tether", "config.yml"));
        var before = DiskSnapshot.Of(a);

        var result = await CliRunner.RunAsync(a, "remote", "add", "self", place);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"tether: '{place}' is this repository (annex UUID {uuid}): a remote must be another repository", result.Error.Trim());
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(yaml, File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
    }

    [Theory]
    [InlineData("the same path")]
    [InlineData("a symlink to it")]
    public async Task RemoteAddRefusesTheRepositoryAnotherRemoteAlreadyIsAndNothingChanges(string how)
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        File.CreateSymbolicLink(dir.Combine("link-to-b"), b);
        var place = how == "the same path" ? b : dir.Combine("link-to-b");
        var uuid = GitCli.Run(b, "config", "annex.uuid").Trim();
        var yaml = File.ReadAllText(Path.Combine(a, ".tether", "config.yml"));
        var before = DiskSnapshot.Of(a);

        var result = await CliRunner.RunAsync(a, "remote", "add", "b2", place);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"tether: '{place}' is the repository remote 'b' already is (annex UUID {uuid}): one remote per repository", result.Error.Trim());
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(yaml, File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
    }

    [Theory]
    [InlineData("its own path", false)]
    [InlineData("a symlink to it", false)]
    [InlineData("its own path", true)]
    public async Task DropNeverCountsThisRepositoryAsACopy(string how, bool auto)
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        File.CreateSymbolicLink(dir.Combine("link-to-a"), a);
        File.WriteAllBytes(Path.Combine(a, "only.bin"), Content);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        EditConfig(a, "self", how == "its own path" ? a : dir.Combine("link-to-a"), numCopies: 1, wantsNone: auto);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);

        var drop = await CliRunner.RunAsync(a, auto ? ["drop", "--auto", "only.bin"] : ["drop", "only.bin"]);

        Assert.True(drop.ExitCode == 1, drop.ToString());
        Assert.Contains("drop only.bin: REFUSED, only 0 other verified copies (none); numcopies is 1. Remote 'self' is this repository, not a copy.", drop.Out);
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(a, "only.bin")));
    }

    [Fact]
    public async Task TwoRemotesOnOneRepositoryCountAsOneCopy()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        File.CreateSymbolicLink(dir.Combine("link-to-b"), b);
        EditConfig(a, "b2", dir.Combine("link-to-b"), numCopies: 2, wantsNone: false);
        File.WriteAllBytes(Path.Combine(a, "only.bin"), Content);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(b, ".git", "annex", "objects"), "*", SearchOption.AllDirectories));

        var drop = await CliRunner.RunAsync(a, "drop", "only.bin");

        Assert.True(drop.ExitCode == 1, drop.ToString());
        Assert.Matches(@"drop only\.bin: REFUSED, only 1 other verified copy \(b2?\); numcopies is 2\.", drop.Out);
        Assert.Equal(Content, File.ReadAllBytes(Path.Combine(a, "only.bin")));
    }

    /// <summary>A remote written into the config by hand (as a config from before the check would hold it).</summary>
    private static void EditConfig(string repo, string name, string url, int numCopies, bool wantsNone)
    {
        var path = Path.Combine(repo, ".tether", "config.yml");
        var yaml = File.ReadAllText(path)
            .Replace("\n  numcopies: 1\n", $"\n  numcopies: {numCopies}\n")
            .Replace("\nremotes:\n", $"\nremotes:\n  - name: {name}\n    url: {url}\n");
        if (wantsNone) yaml = yaml.Replace("\nwants: all\n", "\nwants: none\n");
        File.WriteAllText(path, yaml);
    }
}
