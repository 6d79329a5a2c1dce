namespace Tether.Kernel.Transfers;

/// <summary>
/// A transfer's rate over a moving window of its recent progress (the last <see cref="Window"/>), never over its whole
/// life: bytes a resumed transfer had already moved, a pause or a slow start do not distort it, and a stall shows as
/// the rate falling. Thread-safe; bounded (one sample per <see cref="SampleSpacing"/>).
/// </summary>
public sealed class TransferRate(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SampleSpacing = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, long Bytes)> _samples = new();
    private (DateTimeOffset At, long Bytes)? _last;

    /// <summary>The transfer has moved <paramref name="bytes"/> in all (including what it resumed from).</summary>
    public void Observe(long bytes)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_last is { } last && bytes < last.Bytes) _samples.Clear(); // restarted from the beginning
            _last = (now, bytes);
            if (_samples.Count == 0 || now - _samples.Last().At >= SampleSpacing) _samples.Enqueue((now, bytes));
            Trim(now);
        }
    }

    /// <summary>Bytes per second over the window up to now; 0 until two observations a moment apart exist.</summary>
    public double BytesPerSecond()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            Trim(now);
            if (_last is not { } last || _samples.Count == 0) return 0;
            var first = _samples.Peek();
            var seconds = (now - first.At).TotalSeconds;
            return seconds >= 0.5 && last.Bytes > first.Bytes ? (last.Bytes - first.Bytes) / seconds : 0;
        }
    }

    /// <summary>Seconds to go at the current rate; null when the size or the rate is not known.</summary>
    public static double? EtaSeconds(long bytes, long? size, double bytesPerSecond) =>
        size is { } total && bytesPerSecond > 0 ? Math.Max(0, (total - bytes) / bytesPerSecond) : null;

    private void Trim(DateTimeOffset now)
    {
        // Keep one sample at or before the window's start, so the window is always fully covered.
        while (_samples.Count > 1 && now - _samples.ElementAt(1).At >= Window) _samples.Dequeue();
    }
}
