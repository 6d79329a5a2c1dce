using Xunit;
using Tether.Kernel.Transfers;
using Tether.Sdk.Keys;

namespace Tether.Tests.Web;

/// <summary>Pausing one transfer or one remote (`tether transfers pause ID|--remote R`, the dashboard's buttons).</summary>
public sealed class TransferQueuePauseTests
{
    private static TransferRequest Upload(long size, string remote, string name) =>
        new(TransferDirection.Upload, Key.Parse($"SHA256E-s{size}--{new string((char)('a' + size % 6), 64)}.bin"), name, remote);

    private static TransferQueue QueueOf(params TransferRequest[] requests)
    {
        var queue = new TransferQueue(r => r.Remote == "near" ? 100 : 200);
        foreach (var request in requests) Assert.True(queue.Add(request));
        return queue;
    }

    private static RunningTransfer? Start(TransferQueue queue) =>
        queue.TryStart(r => new RunningTransfer(r, r.Remote!, TimeProvider.System, _ => { }, CancellationToken.None));

    private static List<string> StartAll(TransferQueue queue)
    {
        var order = new List<string>();
        while (Start(queue) is { } running)
        {
            order.Add(running.Request.File);
            queue.Finished(running);
        }
        return order;
    }

    [Fact]
    public void APausedRemoteWaitsInItsPlaceWhileTheOthersRun()
    {
        var queue = QueueOf(Upload(1, "near", "n1"), Upload(2, "far", "f2"), Upload(3, "near", "n3"), Upload(4, "far", "f4"));
        Assert.Equal(2, queue.PauseSome(null, "far"));
        Assert.Equal(["n1", "n3"], StartAll(queue));
        var listed = queue.Snapshot();
        Assert.Equal(["f2", "f4"], listed.Select(t => t.File));
        Assert.All(listed, t => Assert.True(t.Paused));
        Assert.True(queue.ResumeSome(null, "far"));
        Assert.False(queue.ResumeSome(null, "far"));
        Assert.Equal(["f2", "f4"], StartAll(queue));
    }

    [Fact]
    public void PausingARunningTransferPutsItBackAndOnlyItWaits()
    {
        var queue = QueueOf(Upload(1, "near", "n1"), Upload(2, "near", "n2"));
        var running = Start(queue)!;
        Assert.Equal(1, queue.PauseSome(running.Request.Id, null));
        Assert.Equal(RunningTransfer.PauseReason, running.InterruptedFor);
        queue.Finished(running);
        Assert.True(queue.Add(running.Request)); // what the scheduler does with a paused outcome
        Assert.Equal(["n2"], StartAll(queue));
        Assert.True(queue.Snapshot().Single().Paused);
        Assert.True(queue.ResumeSome(running.Request.Id, null));
        Assert.Equal(["n1"], StartAll(queue));
    }

    [Fact]
    public void ResumingEverythingLiftsTheOneByOnePausesToo()
    {
        var queue = QueueOf(Upload(1, "near", "n1"), Upload(2, "far", "f2"));
        queue.PauseSome(null, "far");
        queue.Pause();
        Assert.All(queue.Snapshot(), t => Assert.True(t.Paused));
        Assert.Empty(StartAll(queue));
        queue.Resume();
        Assert.Equal(["n1", "f2"], StartAll(queue));
        Assert.Empty(queue.PausedSome().Ids);
        Assert.Empty(queue.PausedSome().Remotes);
    }
}
