using System.Text.Json;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>The push hook fires once per push to a remote, also at start-up (where the network record is pushed after the branches).</summary>
public sealed class PushHookOnceTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AtStartUpThePushHookFiresOncePerRemote()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", b)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        var runs = dir.Combine("runs");
        Directory.CreateDirectory(runs);
        var config = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\nhooks:\n",
            $"\nhooks:\n  - events: [push]\n    command: [\"sh\", \"-c\", \"cat > {runs}/$(date +%s%N).json\"]\n"));
        var uuid = GitCli.Run(a, "config", "annex.uuid").Trim();

        using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);
        await Eventually.TrueAsync(() => ((string[])["git-annex", "synced/git-annex"]).Any(r => GitCli.TryRun(b, "show", $"{r}:tether/topology.log").Output.Contains(uuid)),
            Soon, node.Daemon.Describe); // start-up's pushes are done: the network record goes last
        var pokedAt = DateTimeOffset.UtcNow;
        Assert.Equal(0, (await CliRunner.RunAsync(a, "poke", "b")).ExitCode);
        await Eventually.TrueAsync(() => Events(runs).Any(e => e.At >= pokedAt), Soon, node.Daemon.Describe);

        var events = Events(runs);
        Assert.All(events, e => Assert.Equal("b", e.Remote));
        Assert.True(events.Sum(e => 1 + e.Coalesced) == 2, $"push events: {string.Join(", ", events.Select(e => $"{e.At:HH:mm:ss.fff} (+{e.Coalesced})"))}; {node.Daemon.Describe()}");
        Assert.Equal(0, await node.StopAsync());
    }

    private static List<(DateTimeOffset At, int Coalesced, string? Remote)> Events(string runs) =>
        Directory.EnumerateFiles(runs, "*.json").Select(File.ReadAllText).Where(t => t.TrimEnd().EndsWith('}')).Select(t =>
        {
            using var json = JsonDocument.Parse(t);
            var root = json.RootElement;
            return (DateTimeOffset.Parse(root.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                root.GetProperty("coalesced").GetInt32(), root.GetProperty("remote").GetProperty("name").GetString());
        }).ToList();
}
