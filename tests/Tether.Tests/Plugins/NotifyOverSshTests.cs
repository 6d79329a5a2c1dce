using System.Diagnostics;
using System.Text.RegularExpressions;
using Tether.Kernel.Control;
using Tether.Platform.Quoting;
using Tether.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Tether.Tests.Plugins;

/// <summary>
/// Live change notification over ssh (as git-annex's remotedaemon): laptops A and B and server S, three `tether watch`
/// daemons, the laptops reaching S through an append-only forced-command key. A save on A reaches B's work tree through
/// S with no hook and the default 30-minute retry timer; B converges after sshd is stopped and started again; a burst
/// of 50 branch changes on S costs B a handful of pulls.
/// </summary>
public sealed partial class NotifyOverSshTests(SshdFixture sshd, ITestOutputHelper output) : IClassFixture<SshdFixture>
{
    /// <summary>The bound each save must reach B within (a pull on the 30-minute retry timer would miss it by far).</summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    /// <summary>TETHER_NOTIFY_SAMPLES=10 measures that many saves (median and max are written to the test output).</summary>
    private static int Samples => int.TryParse(Environment.GetEnvironmentVariable("TETHER_NOTIFY_SAMPLES"), out var n) && n > 0 ? n : 1;

    [GeneratedRegex(@"server: pulled, \d+ merge")]
    private static partial Regex PulledLine();

    [Fact]
    public async Task ASaveOnAReachesBThroughTheServerAtOnceAfterAnSshdRestartAndABurstCostsAFewPulls()
    {
        sshd.Require();
        using var temp = new TempFolder();
        var directory = temp.Combine("srv");
        Directory.CreateDirectory(directory);
        var server = Path.Combine(directory, "server");
        var (a, b) = (temp.Combine("a"), temp.Combine("b"));
        foreach (var repo in new[] { server, a, b })
            Assert.Equal(0, (await CliRunner.RunAsync(temp.Path, "init", repo, "--description", Path.GetFileName(repo))).ExitCode);
        var alias = sshd.AddKey("notify-append-only", $"command=\"tether shell --forced --directory {ShellQuote.Quote(directory).Replace("\"", "\\\"")} --append-only\",restrict");
        foreach (var laptop in new[] { a, b })
        {
            var (code, text) = await TetherProcess.RunAsync(laptop, Bounded, sshd.Environment, "remote", "add", "server", $"{alias}:{server}");
            Assert.True(code == 0, text);
        }

        var hookLog = temp.Combine("b-hooks.log");
        foreach (var hookEvent in new[] { "remote-connected", "remote-disconnected" })
        {
            var folder = Path.Combine(b, ".tether", "hooks", $"{hookEvent}.d");
            Directory.CreateDirectory(folder);
            var script = Path.Combine(folder, "10-record");
            File.WriteAllText(script, $"#!/bin/sh\nprintf '%s %s\\n' \"$TETHER_EVENT\" \"$TETHER_REMOTE\" >> {ShellQuote.Quote(hookLog)}\n");
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED /* 0755 */);
        }
        int HookLines(string line) => File.Exists(hookLog) ? File.ReadAllLines(hookLog).Count(l => l == line) : 0;

        using var s = await WatchingNode.StartAsync(server, (IReadOnlyDictionary<string, string>?)null);
        using var nodeA = await WatchingNode.StartAsync(a, sshd.Environment);
        using var nodeB = await WatchingNode.StartAsync(b, sshd.Environment);
        string Describe() => $"A:\n{nodeA.Daemon.Describe()}\nB:\n{nodeB.Daemon.Describe()}\nS:\n{s.Daemon.Describe()}";
        await Eventually.TrueAsync(async () => await LiveAsync(nodeA) && await LiveAsync(nodeB), Bounded, Describe);

        // A save on A: in B's work tree quickly, though nothing pokes B and its retry is 30 minutes away.
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < Samples; i++)
        {
            var name = $"saved-{i}.txt";
            var clock = Stopwatch.StartNew();
            await File.WriteAllTextAsync(Path.Combine(a, name), $"saved on A, {i}\n");
            await Eventually.TrueAsync(() => File.Exists(Path.Combine(b, name)) && File.ReadAllText(Path.Combine(b, name)) == $"saved on A, {i}\n", Quickly, Describe);
            latencies.Add(clock.Elapsed);
        }
        var sorted = latencies.Order().ToList();
        output.WriteLine($"A -> S -> B over ssh, {sorted.Count} saves: median {sorted[sorted.Count / 2].TotalMilliseconds:0} ms, " +
                         $"max {sorted[^1].TotalMilliseconds:0} ms; all: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:0}"))}");
        Assert.Contains("server: listening for changes", nodeB.Daemon.Output);
        Assert.Null(await NextPullAsync(nodeB)); // the live session serves it: no periodic pull (pull_interval, issue 21)

        // sshd down (every session cut), a save on A meanwhile, sshd back: B still gets it, by the reconnect.
        await Eventually.TrueAsync(() => HookLines("remote-connected server") == 1, Bounded, Describe);
        sshd.Stop();
        await Eventually.TrueAsync(async () => !await LiveAsync(nodeB), Bounded, Describe);
        await Eventually.TrueAsync(async () => await NextPullAsync(nodeB) is not null || await RetryPendingAsync(nodeB), Bounded, Describe); // polled again, or retried
        await Eventually.TrueAsync(() => HookLines("remote-disconnected server") == 1, Bounded, Describe); // the session is the connection
        await File.WriteAllTextAsync(Path.Combine(a, "while-down.txt"), "saved while the server was away\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "refs/heads/main").Contains("while-down.txt"), Bounded, Describe);
        sshd.Start();
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(b, "while-down.txt")), TimeSpan.FromSeconds(60), Describe);
        await Eventually.TrueAsync(async () => await LiveAsync(nodeA) && await LiveAsync(nodeB), Bounded, Describe);
        await Eventually.TrueAsync(() => HookLines("remote-connected server") == 2, Bounded, Describe);

        // 50 branch changes on S in a burst: B pulls a handful of times, not 50.
        var before = PulledLine().Count(nodeB.Daemon.Output);
        for (var i = 0; i < 50; i++) GitCli.Run(server, "update-ref", $"refs/heads/burst/{i}", "HEAD");
        // The fetch lands the refs before the pull that made it logs its line: wait for both.
        await Eventually.TrueAsync(() => GitCli.TryRun(b, "rev-parse", "--verify", "-q", "refs/remotes/server/burst/49").ExitCode == 0
                                         && PulledLine().Count(nodeB.Daemon.Output) > before, Bounded, Describe);
        var pulls = PulledLine().Count(nodeB.Daemon.Output) - before;
        output.WriteLine($"50 branch changes on S: B pulled {pulls} time(s)");
        Assert.InRange(pulls, 1, 8);

        Assert.Equal(0, await nodeA.StopAsync());
        Assert.Equal(0, await nodeB.StopAsync());
        Assert.Equal(0, await s.StopAsync());
    }

    private static async Task<DateTimeOffset?> NextPullAsync(WatchingNode node) =>
        (await node.QueryAsync(ControlCommand.Status))?.Status?.Remotes.Single(r => r.Name == "server").NextPullAt;

    private static async Task<bool> RetryPendingAsync(WatchingNode node) =>
        (await node.QueryAsync(ControlCommand.Status))?.Status?.Remotes.Single(r => r.Name == "server").NextRetryAt is not null;

    private static async Task<bool> LiveAsync(WatchingNode node) =>
        await node.QueryAsync(ControlCommand.Status) is { Status: { } status } && status.Remotes.Any(r => r.Name == "server" && r.Live == true);
}
