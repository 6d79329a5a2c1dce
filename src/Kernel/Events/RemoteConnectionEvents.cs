namespace Tether.Kernel.Events;

/// <summary>A remote became reachable (a trigger saw its drive mounted, its host answer, ...).</summary>
public sealed record RemoteConnectedEvent(DateTimeOffset At, string Remote, string Reason) : SyncEvent(At)
{
    public override string Name => "remote-connected";
}

/// <summary>A remote stopped being reachable (its drive was unmounted, its host went away, ...).</summary>
public sealed record RemoteDisconnectedEvent(DateTimeOffset At, string Remote, string Reason) : SyncEvent(At)
{
    public override string Name => "remote-disconnected";
}
