namespace Tether.Kernel.Transfers;

/// <summary>How one run of a transfer in a slot ended; the scheduler decides from it what happens next.</summary>
public enum TransferOutcome
{
    /// <summary>The content moved, or was already where it was wanted.</summary>
    Finished,
    /// <summary>It could not move now (unreachable remote, no copy found, an error): uploads wait for their remote.</summary>
    Failed,
    /// <summary>Another process moves the same key (or the reverse) right now: looked at again shortly.</summary>
    Busy,
    /// <summary>The user paused transfers: back in the queue, its partial data kept.</summary>
    Paused,
    /// <summary>The user cancelled it: dropped, and a partial download deleted.</summary>
    Cancelled,
    /// <summary>The daemon is stopping: it stays in the journal for the next start.</summary>
    Stopped,
}

/// <summary>A transfer that left its slot: what it was, how it ended and, when it failed, why.</summary>
public sealed record SettledTransfer(RunningTransfer Transfer, TransferOutcome Outcome, string? Error)
{
    public TransferRequest Request => Transfer.Request;
}
