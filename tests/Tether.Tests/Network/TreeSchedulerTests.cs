using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Events;
using Tether.Kernel.Transfers;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.UploadStrategies;

namespace Tether.Tests.Network;

/// <summary>The daemon's side of strategy tree: how the transfer queue expands an upload without a remote.</summary>
public class TreeSchedulerTests
{
    private static readonly Key NewKey = new("SHA256E", "ab".PadLeft(64, '0'), 4096);

    private static TransferScheduler SchedulerFor(Node node, IUploadTargets targets) =>
        new(node.Repo, node.Remotes, () => [], _ => Task.CompletedTask, new EventBus(), 1, TimeProvider.System, NullLogger.Instance)
        { UploadTargets = targets };

    [Fact]
    public async Task TheQueueSendsOurContentOnlyToOurTreeChildren()
    {
        using var dir = new TempFolder();
        var nodes = await TopologySyncTests.ChainAsync(dir, rounds: 2);
        using (var tree = SchedulerFor(nodes[0], new TreeUploadTargets(nodes[0].Repo, TimeProvider.System)))
        {
            tree.Enqueue(new TransferRequest(TransferDirection.Upload, NewKey, "new.bin", null));
            Assert.Equal(["b"], tree.Snapshot().Select(t => t.Remote));
        }
        using var flood = SchedulerFor(nodes[0], new FloodUploadTargets());
        flood.Enqueue(new TransferRequest(TransferDirection.Upload, NewKey, "new.bin", null));
        Assert.Equal(["b", "d"], flood.Snapshot().Select(t => t.Remote));
    }

    [Fact]
    public async Task AnUnreachableTreeChildMakesTheKeyFloodToTheReachableRemotes()
    {
        using var dir = new TempFolder();
        var nodes = await TopologySyncTests.ChainAsync(dir, rounds: 2);
        var uuids = nodes.Select(n => n.Repo.RequireUuid()).ToArray();
        using var targets = new TreeUploadTargets(nodes[0].Repo, TimeProvider.System);
        UploadCandidate B(bool reachable) => new("b", uuids[1], 10, reachable);
        var d = new UploadCandidate("d", uuids[3], 1000, true);

        Assert.Equal(["b"], targets.Choose(NewKey, "new.bin", [B(true), d]));
        Assert.Equal(["b", "d"], targets.Choose(NewKey, "new.bin", [B(false), d]));
        // A relay forwards down the tree rooted at the origin (a): b's only child is c.
        using var atB = new TreeUploadTargets(nodes[1].Repo, TimeProvider.System);
        var fromA = new Key("SHA256E", "cd".PadLeft(64, '0'), 4096);
        using (var branch = new Kernel.AnnexBranch.GitAnnexBranch(nodes[1].Repo, TimeProvider.System))
        {
            await branch.RecordLocationAsync(fromA, uuids[0], Kernel.AnnexBranch.LocationStatus.Present, CancellationToken.None);
            await Task.Delay(10);
            await branch.RecordLocationAsync(fromA, uuids[1], Kernel.AnnexBranch.LocationStatus.Present, CancellationToken.None);
        }
        Assert.Equal(["c"], atB.Choose(fromA, "a.bin", [new("a", uuids[0], 10, true), new("c", uuids[2], 10, true)]));
    }

    [Fact]
    public async Task AnUploadToATreeChildThatFailsFallsBackToTheOtherRemotes()
    {
        using var dir = new TempFolder();
        var nodes = await TopologySyncTests.ChainAsync(dir, rounds: 2);
        using var scheduler = SchedulerFor(nodes[0], new TreeUploadTargets(nodes[0].Repo, TimeProvider.System)); // no endpoint opens: every upload fails
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token);
        scheduler.Enqueue(new TransferRequest(TransferDirection.Upload, NewKey, "new.bin", null));
        var journal = Path.Combine(nodes[0].Repo.StateDir, "transfer-queue.jsonl");
        await Eventually.TrueAsync(() => File.Exists(journal) && File.ReadAllText(journal).Contains("\"d\""), TimeSpan.FromSeconds(20), () => File.ReadAllText(journal));
        await stop.CancelAsync();
        await running;
    }
}
