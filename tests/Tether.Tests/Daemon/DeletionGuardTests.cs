using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Daemon;

/// <summary>The mass-deletion guard with a real daemon: a wiped tree is not committed or synced until the user says so.</summary>
public sealed class DeletionGuardTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeletingMostOfTheTreePausesSyncingUntilTheDeletionsAreAccepted()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        using var node = await WatchingNode.StartAsync(a, b);
        for (var i = 0; i < 150; i++)
        {
            Directory.CreateDirectory(Path.Combine(a, "photos"));
            File.WriteAllText(Path.Combine(a, "photos", $"p{i}.txt"), $"photo {i}");
        }
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Count(p => p.StartsWith("photos/")) == 150, Soon, node.Daemon.Describe);

        Directory.Delete(Path.Combine(a, "photos"), recursive: true); // as if a drive vanished under the folder
        await Eventually.TrueAsync(async () => (await CliRunner.RunAsync(a, "status")).Out.Contains("resume --accept-deletions"), Soon, node.Daemon.Describe);
        File.WriteAllText(Path.Combine(a, "meanwhile.txt"), "not synced while paused");
        await Task.Delay(1500);
        Assert.Equal(150, WatchingNode.TreePaths(a, "HEAD").Count(p => p.StartsWith("photos/")));
        Assert.Equal(150, WatchingNode.TreePaths(b, "refs/heads/synced/main").Count(p => p.StartsWith("photos/")));
        Assert.DoesNotContain("meanwhile.txt", WatchingNode.TreePaths(b, "refs/heads/synced/main"));

        var resume = await CliRunner.RunAsync(a, "resume", "--accept-deletions");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        await Eventually.TrueAsync(() =>
        {
            var synced = WatchingNode.TreePaths(b, "refs/heads/synced/main");
            return synced.Contains("meanwhile.txt") && !synced.Any(p => p.StartsWith("photos/"));
        }, Soon, node.Daemon.Describe);
        Assert.DoesNotContain("deletion guard", (await CliRunner.RunAsync(a, "status")).Out);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task DeletingAFewFilesIsCommittedAsUsual()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        using var node = await WatchingNode.StartAsync(a);
        for (var i = 0; i < 120; i++) File.WriteAllText(Path.Combine(a, $"f{i}.txt"), $"{i}");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").Count(p => p.StartsWith('f')) == 120, Soon, node.Daemon.Describe);
        for (var i = 0; i < 10; i++) File.Delete(Path.Combine(a, $"f{i}.txt"));
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").Count(p => p.StartsWith('f')) == 110, Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }
}
