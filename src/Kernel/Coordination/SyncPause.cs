using System.Collections.Concurrent;
using Tether.Kernel.Daemon;

namespace Tether.Kernel.Coordination;

/// <summary>
/// Syncing paused for safety: while paused nothing is committed, pushed, pulled or merged, so a mistaken mass
/// deletion never spreads. Each cause pauses under its own topic and syncing resumes once every cause is cleared:
/// the deletion guard's by `tether resume`, a vanished work tree's when the work tree is back.
/// </summary>
public sealed class SyncPause
{
    /// <summary>The topic `tether resume` clears.</summary>
    public const string DeletionGuardTopic = "deletion guard";

    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);

    public bool IsPaused => !_reasons.IsEmpty;

    public string? Reason => _reasons.Values.FirstOrDefault();

    /// <summary>True while the deletion guard holds syncing (what `tether resume` answers to).</summary>
    public bool IsPausedByGuard => _reasons.ContainsKey(DeletionGuardTopic);

    /// <summary>Raised (on the caller's thread) when syncing resumes.</summary>
    public event Action? Resumed;

    public void Pause(string reason) => Pause(DeletionGuardTopic, reason);

    public void Pause(string topic, string reason) => _reasons[topic] = reason;

    public void Resume() => Resume(DeletionGuardTopic);

    public void Resume(string topic)
    {
        if (_reasons.TryRemove(topic, out _) && _reasons.IsEmpty) Resumed?.Invoke();
    }
}
