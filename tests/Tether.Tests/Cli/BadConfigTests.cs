using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Cli;

/// <summary>Each bad config makes every command exit 2 with file:line:column, and nothing on disk changes.</summary>
public class BadConfigTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "unknown key", "description: x\nannex:\n  larger_thn: 1MiB\n", ":3:3: annex.larger_thn: unknown key" },
        { "wrong type", "transfers:\n  slots: many\n", ":2:10: transfers.slots:" },
        { "bad size", "annex:\n  largefiles:\n    larger_than: 12 parsecs\n", ":3:18: annex.largefiles.larger_than:" },
        { "tab indented", "annex:\n\tnumcopies: 2\n", ":2:" },
        { "empty", "", ":1:1:" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadConfigStopsSyncBeforeAnyChange(string label, string yaml, string expected)
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "a");
        var a = dir.Combine("a");
        var configPath = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(configPath, yaml);
        File.WriteAllText(Path.Combine(a, "pending.txt"), "not yet committed\n");
        var headBefore = GitCli.TryRun(a, "rev-parse", "HEAD").Output;

        var result = await CliRunner.RunAsync(a, "sync");

        Assert.True(result.ExitCode == 2, $"{label}: {result}");
        Assert.Contains(configPath + expected, result.Error);
        Assert.Equal(headBefore, GitCli.TryRun(a, "rev-parse", "HEAD").Output);
        Assert.Equal(yaml, File.ReadAllText(configPath));
        Assert.Contains("?? pending.txt", GitCli.Run(a, "status", "--porcelain"));
        Assert.Equal(2, (await CliRunner.RunAsync(a, "config", "check")).ExitCode);
    }

    [Fact]
    public async Task MissingExplicitConfigFileExitsTwo()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "a");
        var result = await CliRunner.RunAsync(dir.Combine("a"), "sync", "--config", "nope.yml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.Combine("a", "nope.yml") + ": file not found", result.Error);
    }

    [Fact]
    public async Task ConfigCheckPrintsTheEffectiveConfig()
    {
        using var dir = new TempFolder();
        await CliRunner.RunAsync(dir.Path, "init", "a", "--description", "desk");
        var result = await CliRunner.RunAsync(dir.Combine("a"), "config", "check");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(": ok", result.Out);
        Assert.Contains("larger_than: 1MiB", result.Out);
        Assert.Contains("push_retry_interval: 30m", result.Out);
    }
}
