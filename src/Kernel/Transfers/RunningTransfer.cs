namespace Tether.Kernel.Transfers;

/// <summary>A transfer in a slot: its progress (for status and progress bars) and the means to cancel it.</summary>
/// <param name="started">Called once, when the first bytes move (a transfer that finds nothing to do never "starts").</param>
public sealed class RunningTransfer(TransferRequest request, string remote, TimeProvider clock, Action<RunningTransfer> started, CancellationToken stopping) : IProgress<long>, IDisposable
{
    private int _started;
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    private long _bytes;
    private readonly TransferRate _rate = new(clock);

    public TransferRequest Request { get; } = request;
    public string Remote { get; } = remote;
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();
    public long Bytes => Interlocked.Read(ref _bytes);
    public CancellationToken Token => _cancel.Token;

    public const string CancelReason = "cancel";
    public const string PauseReason = "pause";

    /// <summary>Why it was cut short, if it was: <see cref="CancelReason"/> drops it, <see cref="PauseReason"/> requeues it.</summary>
    public string? InterruptedFor { get; private set; }

    public void Report(long value)
    {
        Interlocked.Exchange(ref _bytes, value);
        _rate.Observe(value);
        if (Interlocked.Exchange(ref _started, 1) == 0) started(this);
    }

    public bool Started => Volatile.Read(ref _started) == 1;

    public void Interrupt(string why)
    {
        InterruptedFor = why;
        _cancel.Cancel();
    }

    /// <summary>Over the last few seconds (<see cref="TransferRate"/>), not since the start.</summary>
    public double BytesPerSecond() => _rate.BytesPerSecond();

    public void Dispose() => _cancel.Dispose();
}
