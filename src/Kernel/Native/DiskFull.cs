namespace Tether.Kernel.Native;

/// <summary>Tells a full filesystem (ENOSPC, or EDQUOT: the user's quota) from other I/O failures.</summary>
public static class DiskFull
{
    private const int ENOSPC = 28;
    private const int EDQUOT = 122;

    public static bool Is(Exception error) =>
        error is IOException && (error.HResult is ENOSPC or EDQUOT
            || error.Message.Contains("No space left on device", StringComparison.Ordinal)
            || error.Message.Contains("Disk quota exceeded", StringComparison.Ordinal));
}
