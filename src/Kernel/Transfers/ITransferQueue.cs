namespace Tether.Kernel.Transfers;

/// <summary>
/// Where the daemon asks for content to move. <see cref="TransferScheduler"/> implements it (slots, costs,
/// a persisted queue); the scanner and the network-map strategy only ever talk to this interface.
/// </summary>
public interface ITransferQueue
{
    /// <summary>Queues a request; duplicates of a queued request are merged.</summary>
    void Enqueue(TransferRequest request);

    /// <summary>What is queued or running now, for `tether status`.</summary>
    IReadOnlyList<Status.TransferStatus> Snapshot();

    Task RunAsync(CancellationToken ct);
}
