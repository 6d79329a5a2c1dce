using Tether.Kernel.Threads;
namespace Tether.Kernel.Transfers;

/// <summary>What the <see cref="Transferrer"/>'s slots report to: each outcome, each move, and the moments the queue is empty.</summary>
public interface ITransferSettlement
{
    /// <summary>A transfer left its slot: queue it again, park it, or drop it from the journal.</summary>
    void Settle(SettledTransfer settled);

    /// <summary>Content moved (the location logs changed).</summary>
    void Moved();

    /// <summary>A slot found nothing to do.</summary>
    Task IdleAsync(CancellationToken ct);
}
