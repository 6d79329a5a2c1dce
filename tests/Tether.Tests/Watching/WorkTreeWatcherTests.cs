using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Watching;
using Tether.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using Tether.Kernel.Threads;
using static Tether.Kernel.Watching.WorkTreeChangeKind;

namespace Tether.Tests.Watching;

public sealed class WorkTreeWatcherTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly string root;
    private readonly string outside;
    private readonly ITestOutputHelper output;

    public WorkTreeWatcherTests(ITestOutputHelper output)
    {
        this.output = output;
        // Both under one parent, so moving between them is a rename on one filesystem.
        root = Directory.CreateDirectory(temp.Combine("root")).FullName;
        outside = Directory.CreateDirectory(temp.Combine("outside")).FullName;
    }

    public void Dispose() => temp.Dispose();

    private string At(string relative) => Path.Combine(root, relative);

    [Fact]
    public async Task File_written_then_deleted_is_reported_as_written_then_removed()
    {
        await using var watch = await WatcherHarness.StartAsync(root);

        File.WriteAllText(At("f.txt"), "hello");
        Assert.True(await watch.WaitForAsync(Written, "f.txt"), Describe(watch));

        File.Delete(At("f.txt"));
        Assert.True(await watch.WaitForAsync(Removed, "f.txt"), Describe(watch));
    }

    [Fact]
    public async Task Appending_reports_writing_then_written()
    {
        File.WriteAllText(At("log.txt"), "a");
        await using var watch = await WatcherHarness.StartAsync(root);

        using (var stream = new FileStream(At("log.txt"), FileMode.Append))
        {
            stream.Write("more"u8);
            stream.Flush();
            Assert.True(await watch.WaitForAsync(Writing, "log.txt"), Describe(watch));
            Assert.False(watch.Has(Written, "log.txt"));
        }
        Assert.True(await watch.WaitForAsync(Written, "log.txt"), Describe(watch));
    }

    [Fact]
    public async Task Hard_link_created_is_reported_as_writing()
    {
        File.WriteAllText(At("a"), "x");
        await using var watch = await WatcherHarness.StartAsync(root);

        Assert.Equal(0, Tether.Kernel.Native.NativeFileSystem.TryHardLink(At("a"), At("b")));

        // Only IN_CREATE arrives: the consumer commits it after its quiet timeout.
        Assert.True(await watch.WaitForAsync(Writing, "b"), Describe(watch));
        output.WriteLine(Describe(watch));
    }

    [Fact]
    public async Task Symlink_created_is_written_and_symlinked_folder_is_not_followed()
    {
        Directory.CreateDirectory(Path.Combine(outside, "target"));
        await using var watch = await WatcherHarness.StartAsync(root);

        File.CreateSymbolicLink(At("link"), "somewhere");
        Directory.CreateSymbolicLink(At("dirlink"), Path.Combine(outside, "target"));
        Assert.True(await watch.WaitForAsync(Written, "link"), Describe(watch));
        Assert.True(await watch.WaitForAsync(Written, "dirlink"), Describe(watch));

        File.WriteAllText(Path.Combine(outside, "target", "inside.txt"), "x");
        File.WriteAllText(At("marker"), "m");
        Assert.True(await watch.WaitForAsync(Written, "marker"), Describe(watch));
        Assert.DoesNotContain(watch.Changes, c => c.RelativePath.StartsWith("dirlink/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task File_in_nested_folders_created_immediately_is_reported()
    {
        await using var watch = await WatcherHarness.StartAsync(root);

        Directory.CreateDirectory(At("a/b/c"));
        File.WriteAllText(At("a/b/c/f"), "x");

        Assert.True(await watch.WaitForAsync(Written, "a/b/c/f"), Describe(watch));
    }

    [Fact]
    public async Task Shell_mkdir_p_then_echo_is_reported()
    {
        await using var watch = await WatcherHarness.StartAsync(root);

        for (var i = 0; i < 5; i++)
        {
            var start = new ProcessStartInfo("sh") { WorkingDirectory = root, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"mkdir -p x{i}/y/z && echo hi > x{i}/y/z/f");
            using var process = Process.Start(start)!;
            Assert.True(process.WaitForExit(10_000), "sh did not finish");
            Assert.Equal(0, process.ExitCode);
        }

        for (var i = 0; i < 5; i++)
            Assert.True(await watch.WaitForAsync(Written, $"x{i}/y/z/f"), Describe(watch));
    }

    [Fact]
    public async Task Folder_tree_moved_in_reports_every_file_and_is_watched()
    {
        var tree = Path.Combine(outside, "tree");
        string[] files = ["top.txt", "one/a.txt", "one/two/b.txt", "one/two/three/c.txt", "other/d.txt", "one/.hidden"];
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tree, file))!);
            File.WriteAllText(Path.Combine(tree, file), file);
        }
        await using var watch = await WatcherHarness.StartAsync(root);

        Directory.Move(tree, At("tree"));

        var expected = files.Select(f => "tree/" + f).ToList();
        Assert.True(await watch.WaitUntilAsync(_ => expected.All(watch.Paths(Written).Contains)), Describe(watch));

        File.WriteAllText(At("tree/one/two/three/new.txt"), "new");
        Assert.True(await watch.WaitForAsync(Written, "tree/one/two/three/new.txt"), Describe(watch));
    }

    [Fact]
    public async Task File_renamed_within_tree_is_removed_and_written()
    {
        await using var watch = await WatcherHarness.StartAsync(root);
        File.WriteAllText(At("a"), "x");
        Assert.True(await watch.WaitForAsync(Written, "a"), Describe(watch));

        File.Move(At("a"), At("b"));

        Assert.True(await watch.WaitUntilAsync(_ => watch.Has(Removed, "a") && watch.Has(Written, "b")), Describe(watch));
    }

    [Fact]
    public async Task Folder_renamed_within_tree_keeps_watching_under_its_new_path()
    {
        Directory.CreateDirectory(At("d1/sub/deeper"));
        File.WriteAllText(At("d1/sub/old.txt"), "x");
        await using var watch = await WatcherHarness.StartAsync(root);

        Directory.Move(At("d1"), At("d2"));
        Assert.True(await watch.WaitUntilAsync(_ => watch.Has(Removed, "d1") && watch.Has(Written, "d2/sub/old.txt")), Describe(watch));

        File.WriteAllText(At("d2/sub/new.txt"), "new");
        File.WriteAllText(At("d2/sub/deeper/deep.txt"), "deep");
        Assert.True(await watch.WaitUntilAsync(_ => watch.Has(Written, "d2/sub/new.txt") && watch.Has(Written, "d2/sub/deeper/deep.txt")), Describe(watch));
        Assert.DoesNotContain(watch.Changes, c => c.RelativePath.StartsWith("d1/", StringComparison.Ordinal));

        // Rename it again, one level down, to check the rewritten map is consistent.
        Directory.CreateDirectory(At("p"));
        Directory.Move(At("d2"), At("p/d3"));
        File.WriteAllText(At("p/d3/sub/deeper/again.txt"), "again");
        Assert.True(await watch.WaitForAsync(Written, "p/d3/sub/deeper/again.txt"), Describe(watch));
    }

    [Fact]
    public async Task Folder_moved_out_of_tree_is_no_longer_reported()
    {
        Directory.CreateDirectory(At("gone/sub"));
        await using var watch = await WatcherHarness.StartAsync(root);

        Directory.Move(At("gone"), Path.Combine(outside, "gone"));
        Assert.True(await watch.WaitForAsync(Removed, "gone"), Describe(watch));

        File.WriteAllText(Path.Combine(outside, "gone", "sub", "after.txt"), "x");
        File.WriteAllText(At("marker"), "m");
        Assert.True(await watch.WaitForAsync(Written, "marker"), Describe(watch));
        await Task.Delay(100);
        Assert.DoesNotContain(watch.Changes, c => c.RelativePath.StartsWith("gone/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Folder_moved_out_and_recreated_at_once_is_watched()
    {
        Directory.CreateDirectory(At("d/sub"));
        await using var watch = await WatcherHarness.StartAsync(root);

        var start = new ProcessStartInfo("sh") { WorkingDirectory = root, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"mv d '{outside}/d' && mv '{outside}/d' '{outside}/d2' && mkdir -p d/sub && echo one > d/sub/one");
        using (var process = Process.Start(start)!)
        {
            Assert.True(process.WaitForExit(10_000), "sh did not finish");
            Assert.Equal(0, process.ExitCode);
        }
        Assert.True(await watch.WaitForAsync(Written, "d/sub/one"), Describe(watch));
        await Task.Delay(100); // let the watcher drain the queue and drop the moved-out watches

        File.WriteAllText(Path.Combine(outside, "d2", "sub", "outside.txt"), "x");
        File.WriteAllText(At("d/sub/two"), "two");
        Assert.True(await watch.WaitForAsync(Written, "d/sub/two"), Describe(watch));
        Assert.DoesNotContain(watch.Changes, c => c.RelativePath.EndsWith("outside.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Folder_deleted_is_removed()
    {
        Directory.CreateDirectory(At("d/e"));
        File.WriteAllText(At("d/e/f"), "x");
        await using var watch = await WatcherHarness.StartAsync(root);

        Directory.Delete(At("d"), recursive: true);

        Assert.True(await watch.WaitUntilAsync(_ => watch.Has(Removed, "d") && watch.Has(Removed, "d/e/f")), Describe(watch));
    }

    [Fact]
    public async Task Editor_atomic_save_reports_the_target()
    {
        File.WriteAllText(At("f"), "old");
        await using var watch = await WatcherHarness.StartAsync(root);

        File.WriteAllText(At(".f.swp"), "new");
        File.Move(At(".f.swp"), At("f"), overwrite: true);

        Assert.True(await watch.WaitForAsync(Written, "f"), Describe(watch));
        Assert.Equal("new", File.ReadAllText(At("f")));
    }

    [Fact]
    public async Task Ten_thousand_files_in_new_folders_are_all_reported_or_a_rescan_is_requested()
    {
        await using var watch = await WatcherHarness.StartAsync(root);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100; i++)
            for (var j = 0; j < 100; j++)
                expected.Add($"bulk/d{i:00}/e/f{j:00}.txt");

        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, 100, i =>
        {
            Directory.CreateDirectory(At($"bulk/d{i:00}/e"));
            for (var j = 0; j < 100; j++)
                File.WriteAllText(At($"bulk/d{i:00}/e/f{j:00}.txt"), "content");
        });

        var created = stopwatch.Elapsed;
        bool RescanSeen(IReadOnlyList<WorkTreeChange> changes) => changes.Any(c => c.Kind == RescanAll);
        Assert.True(
            await watch.WaitUntilAsync(changes => RescanSeen(changes) || expected.IsSubsetOf(watch.Paths(Written))),
            $"{expected.Except(watch.Paths(Written)).Count()} files not reported");

        var covered = watch.Paths(Written);
        output.WriteLine($"{watch.Changes.Count} changes, {covered.Count} distinct written, rescan requested: {RescanSeen(watch.Changes)}; created in {created.TotalMilliseconds:F0} ms, all seen after {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        if (RescanSeen(watch.Changes))
        {
            // The consumer would rescan: what is on disk now counts as reported.
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                covered.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        }
        Assert.Empty(expected.Except(covered));
    }

    [Fact]
    public async Task Kernel_queue_overflow_requests_a_rescan_and_watches_folders_created_meanwhile()
    {
        var maxQueued = int.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_queued_events").Trim());
        Assert.True(maxQueued <= 1_000_000, "max_queued_events too large to overflow in a test");
        var channel = Channel.CreateBounded<WorkTreeChange>(1); // the consumer is stuck at first
        var log = new ListLogger();
        using var watcher = new WorkTreeWatcher(root, channel.Writer, log);
        using var cts = new CancellationTokenSource();
        var run = watcher.RunAsync(cts.Token);
        await watcher.Ready.WaitAsync(TimeSpan.FromSeconds(10));

        // Alternate between two files so the kernel cannot merge identical consecutive events. The watcher's first
        // read may drain up to a full buffer (16-byte header + padded name "a": 32 bytes each) before it blocks on
        // the full channel, so the kernel queue overflows only after a buffer's worth plus max_queued_events more.
        var drainedBeforeBlocking = WorkTreeWatcher.ReadBufferSize / 16;
        using (var a = new FileStream(At("a"), FileMode.Create))
        using (var b = new FileStream(At("b"), FileMode.Create))
        {
            for (var i = 0; i < drainedBeforeBlocking + maxQueued + 2_000; i++)
            {
                var stream = i % 2 == 0 ? a : b;
                stream.WriteByte(1);
                stream.Flush();
            }
        }
        Directory.CreateDirectory(At("late/sub")); // its IN_CREATE is lost in the overflow

        var seen = new List<WorkTreeChange>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        async Task<bool> ReadUntil(Func<WorkTreeChange, bool> match)
        {
            while (DateTime.UtcNow < deadline)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    var change = await channel.Reader.ReadAsync(wait.Token);
                    seen.Add(change);
                    if (match(change)) return true;
                }
                catch (OperationCanceledException) { }
            }
            return false;
        }

        Assert.True(await ReadUntil(c => c.Kind == RescanAll), $"no RescanAll in {seen.Count} changes");
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("overflow"));

        File.WriteAllText(At("late/sub/f"), "x");
        Assert.True(await ReadUntil(c => c == new WorkTreeChange(Written, "late/sub/f")), "late/sub/f not reported after the overflow rescan");

        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Git_and_tether_folders_at_the_root_are_ignored()
    {
        Directory.CreateDirectory(At(".git/objects"));
        await using var watch = await WatcherHarness.StartAsync(root);

        File.WriteAllText(At(".git/x"), "x");
        File.WriteAllText(At(".git/objects/o"), "o");
        Directory.CreateDirectory(At(".git/refs/heads"));
        File.WriteAllText(At(".git/refs/heads/main"), "m");
        Directory.CreateDirectory(At(".tether"));
        File.WriteAllText(At(".tether/y"), "y");
        File.Delete(At(".git/x"));
        File.WriteAllText(At("marker"), "m");

        Assert.True(await watch.WaitForAsync(Written, "marker"), Describe(watch));
        await Task.Delay(100);
        Assert.DoesNotContain(watch.Changes, c => c.RelativePath.StartsWith(".git", StringComparison.Ordinal) || c.RelativePath.StartsWith(".tether", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_limit_logs_one_error_and_requests_periodic_rescans()
    {
        for (var i = 0; i < 10; i++) Directory.CreateDirectory(At($"f{i}/g"));
        var options = new WatcherOptions { FallbackRescanInterval = TimeSpan.FromMilliseconds(200), MaxWatchesForTesting = 3 };
        await using var watch = await WatcherHarness.StartAsync(root, options);

        Assert.True(await watch.WaitUntilAsync(changes => changes.Count(c => c.Kind == RescanAll) >= 3), Describe(watch));
        Assert.All(watch.Changes.Where(c => c.Kind == RescanAll), c => Assert.Equal("", c.RelativePath));

        var errors = watch.Log.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("fs.inotify.max_user_watches", error.Message);
        Assert.Contains("sysctl", error.Message);
        output.WriteLine(error.Message);

        // New folders are still scanned, so their files are reported even though they cannot be watched.
        Directory.CreateDirectory(At("f0/new"));
        File.WriteAllText(At("f0/new/file"), "x");
        Assert.True(await watch.WaitUntilAsync(c => c.Count(x => x.Kind == RescanAll) >= 5), Describe(watch));
    }

    [Fact]
    public async Task Idle_watcher_does_not_wake_up()
    {
        Directory.CreateDirectory(At("a/b"));
        await using var watch = await WatcherHarness.StartAsync(root);
        await Task.Delay(100);

        var before = watch.Watcher.WakeUps;
        await Task.Delay(500);
        Assert.Equal(before, watch.Watcher.WakeUps);

        File.WriteAllText(At("a/b/f"), "x");
        Assert.True(await watch.WaitForAsync(Written, "a/b/f"), Describe(watch));
        Assert.True(watch.Watcher.WakeUps > before);
    }

    [Fact]
    public async Task Cancellation_stops_run_promptly()
    {
        var channel = Channel.CreateUnbounded<WorkTreeChange>();
        using var watcher = new WorkTreeWatcher(root, channel.Writer, new ListLogger());
        using var cts = new CancellationTokenSource();
        var run = watcher.RunAsync(cts.Token);
        await watcher.Ready.WaitAsync(TimeSpan.FromSeconds(10));

        var stopwatch = Stopwatch.StartNew();
        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Cancellation_stops_run_while_waiting_for_a_full_channel()
    {
        var channel = Channel.CreateBounded<WorkTreeChange>(1); // nobody reads
        using var watcher = new WorkTreeWatcher(root, channel.Writer, new ListLogger());
        using var cts = new CancellationTokenSource();
        var run = watcher.RunAsync(cts.Token);
        await watcher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5; i++) File.WriteAllText(At($"f{i}"), "x");
        await Task.Delay(200);

        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Dispose_stops_run_and_cancelled_before_ready_cancels_ready()
    {
        var channel = Channel.CreateUnbounded<WorkTreeChange>();
        var watcher = new WorkTreeWatcher(root, channel.Writer, new ListLogger());
        var run = watcher.RunAsync(CancellationToken.None);
        await watcher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        watcher.Dispose();
        await run.WaitAsync(TimeSpan.FromSeconds(2));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var early = new WorkTreeWatcher(root, channel.Writer, new ListLogger());
        await early.RunAsync(cancelled.Token).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.True(early.Ready.IsCanceled);
    }

    [Fact]
    public async Task Missing_root_faults_run_and_ready()
    {
        var channel = Channel.CreateUnbounded<WorkTreeChange>();
        using var watcher = new WorkTreeWatcher(Path.Combine(root, "missing"), channel.Writer, new ListLogger());
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => watcher.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => watcher.Ready.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static string Describe(WatcherHarness watch)
    {
        var changes = watch.Changes;
        return $"{changes.Count} changes: " + string.Join(", ", changes.Take(40).Select(c => $"{c.Kind} '{c.RelativePath}'"));
    }
}
