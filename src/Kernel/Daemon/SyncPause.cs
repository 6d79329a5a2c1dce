namespace Tether.Kernel.Daemon;

/// <summary>
/// Syncing paused for safety (the deletion guard tripped): while paused nothing is committed, pushed,
/// pulled or merged, so a mistaken mass deletion never spreads. Cleared by `tether resume`.
/// </summary>
public sealed class SyncPause
{
    private volatile string? _reason;

    public bool IsPaused => _reason is not null;

    public string? Reason => _reason;

    /// <summary>Raised (on the caller's thread) when syncing resumes.</summary>
    public event Action? Resumed;

    public void Pause(string reason) => _reason = reason;

    public void Resume()
    {
        if (Interlocked.Exchange(ref _reason, null) is not null) Resumed?.Invoke();
    }
}
