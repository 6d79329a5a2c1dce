using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Hooks;
using Tether.Platform.Quoting;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Committing;

namespace Tether.Tests.Hooks;

/// <summary>Hung, failing, noisy and slow hooks: dispatch goes on, timeouts kill whole process groups, output is capped, floods coalesce.</summary>
public sealed class HookMisbehaviourTests
{
    [Fact]
    public async Task AHungAFailingAndAFloodingHookNeitherDelayOtherEventsNorOutliveTheirTimeout()
    {
        using var h = new HookHarness();
        var pids = h.Combine("pids");
        Directory.CreateDirectory(pids);
        var results = new ConcurrentQueue<HookRunResult>();
        var fast = h.Combine("fast");
        var runner = h.Start(
        [
            new HookConfig { Name = "sleeper", Events = ["push"], Timeout = TimeSpan.FromSeconds(1),
                Command = ["/bin/sh", "-c", $"echo $$ > {pids}/parent; sleep 300 & echo $! > {pids}/child; echo started; wait"] },
            new HookConfig { Name = "failing", Events = ["push"], Command = ["/bin/sh", "-c", "echo failing on purpose >&2; exit 1"] },
            new HookConfig { Name = "flood", Events = ["push"], Command = ["/bin/sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo END-OF-OUTPUT"] },
            new HookConfig { Name = "fast", Events = ["commit"], Command = [h.Recorder, fast, "{{ commit.id }}"] },
        ]);
        runner.RunCompleted += results.Enqueue;

        h.Bus.Publish(new PushEvent(DateTimeOffset.UtcNow, "server", true, null));
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(pids, "child")), TimeSpan.FromSeconds(10), h.LogText);
        var clock = Stopwatch.StartNew();
        h.Bus.Publish(new CommitEvent(DateTimeOffset.UtcNow, "abc123", "1 added"));
        await h.WaitDoneAsync(fast);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the commit hook took {clock.Elapsed} while the others misbehaved");
        Assert.Equal(["abc123"], HookHarness.Argv(fast));

        await Eventually.TrueAsync(() => results.Count(r => r.Event == "push") == 3, TimeSpan.FromSeconds(60), h.LogText);
        var sleeper = results.Single(r => r.Hook == "sleeper");
        Assert.True(sleeper.TimedOut, sleeper.ToString());
        Assert.Null(sleeper.ExitCode);
        Assert.InRange(sleeper.Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
        foreach (var name in new[] { "parent", "child" })
        {
            int pid = int.Parse(File.ReadAllText(Path.Combine(pids, name)).Trim());
            await Eventually.TrueAsync(() => !IsAlive(pid), TimeSpan.FromSeconds(5), () => $"the sleeper's {name} (pid {pid}) is still alive");
        }

        var failing = results.Single(r => r.Hook == "failing");
        Assert.Equal(1, failing.ExitCode);
        Assert.False(failing.Succeeded);
        var flood = results.Single(r => r.Hook == "flood");
        Assert.Equal(0, flood.ExitCode);
        Assert.Equal(100_000_000 + "\nEND-OF-OUTPUT\n".Length, flood.OutputBytes);
        Assert.True(flood.Output.Length <= HookProcess.OutputCapBytes);
        Assert.EndsWith("END-OF-OUTPUT\n", flood.Output);

        var log = h.Log.Entries;
        Assert.Contains(log, e => e.Level == LogLevel.Warning && e.Message.Contains("sleeper") && e.Message.Contains("killed after its timeout") && e.Message.Contains("started"));
        Assert.Contains(log, e => e.Level == LogLevel.Warning && e.Message.Contains("failing") && e.Message.Contains("exit 1") && e.Message.Contains("failing on purpose"));
        var floodLine = Assert.Single(log, e => e.Message.Contains("Hook flood"));
        Assert.Contains("100000015 bytes of output, the last 65536 kept", floodLine.Message);
        Assert.True(floodLine.Message.Length < HookProcess.OutputCapBytes + 1024, $"log line of {floodLine.Message.Length} characters");
        Assert.EndsWith("END-OF-OUTPUT", floodLine.Message);
    }

    [Fact]
    public async Task AFloodOfEventsIsCoalescedIntoFewRunsThatStillSeeEveryPath()
    {
        using var h = new HookHarness();
        var runs = h.Combine("runs.jsonl");
        var results = new ConcurrentQueue<HookRunResult>();
        var runner = h.Start([new HookConfig { Name = "slow", Events = ["change"], Command = ["/bin/sh", "-c", $"cat >> {runs}; sleep 0.3"] }]);
        runner.RunCompleted += results.Enqueue;

        var expected = Enumerable.Range(0, 1000).Select(i => $"file {i}.txt").ToList();
        foreach (var path in expected)
            h.Bus.Publish(new ChangeEvent(DateTimeOffset.UtcNow, new CommitResult("c" + path.GetHashCode(), [path], [], [], [], [])));

        HashSet<string> Seen() => File.Exists(runs)
            ? File.ReadAllLines(runs).SelectMany(line => JsonDocument.Parse(line).RootElement.GetProperty("change").GetProperty("paths").EnumerateArray().Select(p => p.GetString()!)).ToHashSet()
            : [];
        await Eventually.TrueAsync(() => Seen().SetEquals(expected), TimeSpan.FromSeconds(30), () => $"{Seen().Count} of 1000 paths seen; {h.LogText()}");
        var lines = File.ReadAllLines(runs);
        Assert.InRange(lines.Length, 1, 20); // 1 when the whole flood arrived before the first run started
        Assert.Equal(1000, lines.Sum(line => 1 + JsonDocument.Parse(line).RootElement.GetProperty("coalesced").GetInt32()));
        Assert.Contains(h.Log.Entries, e => e.Message.Contains("coalesced into its next run"));
    }

    [Fact]
    public async Task NoMoreThanTheConfiguredNumberOfHookProcessesRunAtOnce()
    {
        using var h = new HookHarness();
        var spans = h.Combine("spans");
        Directory.CreateDirectory(spans);
        var hooks = Enumerable.Range(0, 6).Select(i => new HookConfig
        {
            Name = $"h{i}", Events = ["commit"],
            Command = ["/bin/sh", "-c", $"s=$(date +%s%N); sleep 0.4; echo \"$s $(date +%s%N)\" > {spans}/h{i}"],
        }).ToList();
        h.Start(hooks, maxConcurrent: 2);
        h.Bus.Publish(new CommitEvent(DateTimeOffset.UtcNow, "abc", "1 added"));
        await Eventually.TrueAsync(() => Directory.GetFiles(spans).Length == 6, TimeSpan.FromSeconds(20), h.LogText);

        var intervals = Directory.GetFiles(spans).Select(f => File.ReadAllText(f).Split(' ').Select(long.Parse).ToArray()).ToList();
        int maxOverlap = intervals.Max(a => intervals.Count(b => b[0] <= a[0] && a[0] < b[1]));
        Assert.Equal(2, maxOverlap);
    }

    [Fact]
    public async Task DropInsRunInNameOrderSkippingBackupsHiddenAndNonExecutables()
    {
        using var h = new HookHarness();
        var order = h.Combine("order");
        foreach (var name in new[] { "20-b", "10-a", "30-c~", "40-d.swp", "#45-e#", ".50-hidden", "60-f.dpkg-old", "99-z" })
            h.AddDropIn("push", name, $"#!/bin/sh\necho {ShellQuoteless(name)} >> {order}\n");
        h.AddDropIn("push", "70-not-executable", $"#!/bin/sh\necho 70 >> {order}\n", executable: false);
        Directory.CreateDirectory(Path.Combine(DropInHooks.FolderFor(DropInHooks.RootFor(h.WorkTree), "push"), "80-folder"));
        h.Start([]);
        h.Bus.Publish(new PushEvent(DateTimeOffset.UtcNow, "server", true, null));
        await Eventually.TrueAsync(() => File.Exists(order) && File.ReadAllText(order).Contains("99-z"), TimeSpan.FromSeconds(10), h.LogText);
        await Task.Delay(100);
        Assert.Equal(["10-a", "20-b", "99-z"], File.ReadAllLines(order));

        var listed = DropInHooks.List(DropInHooks.RootFor(h.WorkTree), "push").ToDictionary(e => Path.GetFileName(e.Path), e => e.SkipReason);
        Assert.Equal("not executable", listed["70-not-executable"]);
        Assert.Equal("an editor or package backup", listed["30-c~"]);
        Assert.Equal("hidden", listed[".50-hidden"]);
        Assert.Equal("a folder", listed["80-folder"]);
        Assert.Null(listed["10-a"]);
    }

    private static string ShellQuoteless(string name) => ShellQuote.Quote(name);

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException) { return false; }
    }
}
