namespace Tether.Kernel.Transfers;

/// <summary>
/// Where the daemon asks for content to move. The flood queue is the first implementation; the transfer
/// scheduler (slots, costs, persisted queue, on-disk transfer records) replaces it behind this interface.
/// </summary>
public interface ITransferQueue
{
    /// <summary>Queues a request; duplicates of a queued request are merged.</summary>
    void Enqueue(TransferRequest request);

    /// <summary>What is queued or running now, for `tether status`.</summary>
    IReadOnlyList<Status.TransferStatus> Snapshot();

    Task RunAsync(CancellationToken ct);
}
