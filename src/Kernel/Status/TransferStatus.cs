namespace Tether.Kernel.Status;

/// <summary>A queued, running or paused content transfer, as `tether status` and `tether transfers` show it (and --json).</summary>
/// <param name="Process">Who runs it when it is not this daemon (another tether or git-annex process), e.g. "pid 1234".</param>
/// <param name="Bytes">Bytes done: for a paused or interrupted one, what it has moved and will resume from.</param>
/// <param name="BytesPerSecond">Over the last few seconds (a moving window), 0 when not moving.</param>
/// <param name="State">running, queued, paused (transfers are paused) or resuming (interrupted, waiting for a slot to go on).</param>
/// <param name="EtaSeconds">Time to go at <paramref name="BytesPerSecond"/>; null when not known.</param>
public sealed record TransferStatus(
    string Id, string Direction, string Key, string File, string Remote, bool Running,
    long Bytes = 0, long? Size = null, double BytesPerSecond = 0, string? Process = null, string? State = null, double? EtaSeconds = null)
{
    public const string RunningState = "running";
    public const string QueuedState = "queued";
    public const string PausedState = "paused";
    public const string ResumingState = "resuming";

    /// <summary>The state, for records made without one.</summary>
    public string ShownState => State ?? (Running ? RunningState : QueuedState);

    /// <summary>Held by `tether transfers pause` (all, this one, or its remote): it waits in the queue until resumed.</summary>
    public bool Paused => ShownState == PausedState;
}
