namespace Tether.Kernel.Encryption;

/// <summary>
/// Progress of one phase of an encrypted transfer (encrypting, then sending; fetching, then decrypting), reported to
/// the transfer as its share of the key's size: the first phase covers the first half, the second the rest. Only
/// ever forward, so a transfer record never goes back.
/// </summary>
public sealed class PhaseProgress(IProgress<long> target, long keySize, bool second, long phaseTotal) : IProgress<long>
{
    private long _last = -1;

    public void Report(long value)
    {
        if (keySize <= 0 || phaseTotal <= 0) return;
        var fraction = Math.Clamp((double)value / phaseTotal, 0, 1);
        var half = keySize / 2;
        var done = second ? half + (long)(fraction * (keySize - half)) : (long)(fraction * half);
        if (done <= _last) return;
        _last = done;
        target.Report(done);
    }
}
