using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Backends;
using Tether.Kernel.Events;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.OneShot;

namespace Tether.Tests.Transfers;

public sealed class TransferSchedulerTests
{
    private static Key KeyOf(string name, long size) => new("SHA256E", name.PadLeft(64, '0'), size);

    [Fact]
    public async Task QueueIsCheapestRemoteFirstThenSmallestFileAndMergesDuplicates()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("a"), "a", false, CancellationToken.None);
        Remote[] remotes = [new("far", "/nowhere/far", "local", 200, null), new("near", "/nowhere/near", "local", 100, null)];
        using var scheduler = new TransferScheduler(repo, remotes, () => [], _ => Task.CompletedTask, new EventBus(), 2, TimeProvider.System, NullLogger.Instance);

        scheduler.Enqueue(new TransferRequest(TransferDirection.Upload, KeyOf("b1", 5_000_000), "big.bin", null));
        scheduler.Enqueue(new TransferRequest(TransferDirection.Upload, KeyOf("a1", 10), "small.txt", null));
        scheduler.Enqueue(new TransferRequest(TransferDirection.Upload, KeyOf("a1", 10), "small copy.txt", null)); // same key: merged

        var order = scheduler.Snapshot().Select(t => $"{t.Remote}:{t.File}").ToList();
        Assert.Equal(["near:small.txt", "near:big.bin", "far:small.txt", "far:big.bin"], order);
    }

    [Fact]
    public async Task TheQueueSurvivesARestartAndADamagedJournalLineIsSkipped()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("a"), "a", false, CancellationToken.None);
        Remote[] remotes = [new("r", "/nowhere/r", "local", 100, null)];
        using (var first = new TransferScheduler(repo, remotes, () => [], _ => Task.CompletedTask, new EventBus(), 1, TimeProvider.System, NullLogger.Instance))
        {
            first.Enqueue(new TransferRequest(TransferDirection.Download, KeyOf("c1", 3), "c.bin", null));
            first.Enqueue(new TransferRequest(TransferDirection.Upload, KeyOf("d1", 4), "d.bin", "r"));
            Assert.Equal(1, first.Cancel(null, "r"));
        }
        File.AppendAllText(Path.Combine(repo.StateDir, "transfer-queue.jsonl"), "{not json\n");

        using var second = new TransferScheduler(repo, remotes, () => [], _ => Task.CompletedTask, new EventBus(), 1, TimeProvider.System, NullLogger.Instance);
        var queued = Assert.Single(second.Snapshot());
        Assert.Equal("c.bin", queued.File);
        Assert.Equal("download", queued.Direction);
    }

    [Fact]
    public async Task CancellingARunningDownloadLeavesNoPartialObject()
    {
        using var dir = new TempFolder();
        var remote = await Node.CreateAsync(dir.Combine("remote"), "remote");
        remote.Write("big.bin", new string('x', 8 << 20));
        await remote.SyncAsync();
        var local = await Node.CreateAsync(dir.Combine("local"), "local");
        local.AddRemote(remote);
        await new OneShotSync(local.Repo, new SyncSettings("local", (_, s) => s >= Node.LargeFileThreshold, Content: false), local.Remotes,
            BackendRegistry.BuiltIn(TimeProvider.System), TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);
        Key key;
        using (var git = local.Repo.OpenGit()) key = Assert.Single(Kernel.Annex.AnnexedFiles.InTree(git.Head.Tip.Tree)).Key;

        var slow = new Remote("remote", remote.Path, "local", 100, 1 << 20); // 1 MiB/s: 8 s for the file
        var endpoint = await new RemoteEndpointFactory(local.Repo, BackendRegistry.BuiltIn(TimeProvider.System), TimeProvider.System).OpenAsync(slow, CancellationToken.None);
        var events = new EventBus();
        var seen = events.Subscribe();
        using var scheduler = new TransferScheduler(local.Repo, [slow], () => [endpoint], _ => Task.CompletedTask, events, 1, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(stop.Token);
        scheduler.Enqueue(new TransferRequest(TransferDirection.Download, key, "big.bin", null));
        await Eventually.TrueAsync(() => scheduler.Snapshot() is [{ Running: true, Bytes: > 0 }], TimeSpan.FromSeconds(10), () => "no progress");

        Assert.Equal(1, scheduler.Cancel(scheduler.Snapshot()[0].Id, null));
        await Eventually.TrueAsync(() => scheduler.Snapshot().Count == 0, TimeSpan.FromSeconds(10), () => "still running");
        stop.Cancel();
        await run;
        Assert.False(new Kernel.Annex.ObjectStore(local.Repo).Contains(key));
        Assert.False(File.Exists(new Kernel.Annex.ObjectStore(local.Repo).TmpPathFor(key)));
        var phases = new List<string>();
        while (seen.TryRead(out var e)) if (e is TransferEvent t) phases.Add(t.Phase);
        Assert.Equal(["started", "cancelled"], phases);
    }
}
