using Xunit;
using Tether.Kernel.Transfers;
using Tether.Sdk.Keys;

namespace Tether.Tests.Web;

/// <summary>"Do this first" (`tether transfers first`, the dashboard's button): the queue's own order, changed only by it.</summary>
public sealed class TransferQueueFirstTests
{
    private static TransferRequest Upload(long size, string remote, string name) =>
        new(TransferDirection.Upload, Key.Parse($"SHA256E-s{size}--{new string((char)('a' + size % 6), 64)}.bin"), name, remote);

    private static TransferQueue QueueOf(params TransferRequest[] requests)
    {
        var queue = new TransferQueue(r => r.Remote == "near" ? 100 : 200);
        foreach (var request in requests) Assert.True(queue.Add(request));
        return queue;
    }

    private static List<string> StartOrder(TransferQueue queue)
    {
        var order = new List<string>();
        while (queue.TryStart(r => new RunningTransfer(r, r.Remote!, TimeProvider.System, _ => { }, CancellationToken.None)) is { } running)
        {
            order.Add(running.Request.File);
            queue.Finished(running);
        }
        return order;
    }

    [Fact]
    public void AMovedTransferGoesBeforeAllOthersAndIsListedOnce()
    {
        var queue = QueueOf(Upload(1, "near", "small"), Upload(2, "near", "medium"), Upload(3, "far", "big"));
        Assert.Equal(1, queue.MoveToFront(r => r.File == "big"));
        var listed = queue.Snapshot().Select(t => t.File).ToList();
        Assert.Equal(["big", "small", "medium"], listed);
        Assert.Equal(["big", "small", "medium"], StartOrder(queue));
    }

    [Fact]
    public void TheLatestMovedGoesFirstAndAWholeRemoteMovesInItsOwnOrder()
    {
        var queue = QueueOf(Upload(1, "near", "n1"), Upload(2, "near", "n2"), Upload(4, "far", "f4"), Upload(5, "far", "f5"));
        Assert.Equal(1, queue.MoveToFront(r => r.File == "n2"));
        Assert.Equal(2, queue.MoveToFront(r => r.Remote == "far"));
        Assert.Equal(["f4", "f5", "n2", "n1"], StartOrder(queue));
    }

    [Fact]
    public void NothingMatchingMovesNothing()
    {
        var queue = QueueOf(Upload(1, "near", "n1"), Upload(2, "far", "f2"));
        Assert.Equal(0, queue.MoveToFront(r => r.Remote == "nowhere"));
        Assert.Equal(["n1", "f2"], StartOrder(queue));
    }

    [Fact]
    public void ACancelledMovedTransferNeverStarts()
    {
        var queue = QueueOf(Upload(1, "near", "n1"), Upload(2, "far", "f2"));
        queue.MoveToFront(r => r.File == "f2");
        Assert.Single(queue.Cancel(r => r.File == "f2"));
        Assert.Equal(["n1"], StartOrder(queue));
    }
}
