using System.Collections.Immutable;

namespace Tether.Kernel.Configuration;

/// <summary>The event names a hook can listen to.</summary>
public static class HookEvents
{
    public const string Change = "change";
    public const string Commit = "commit";
    public const string Push = "push";
    public const string Receive = "receive";
    public const string Conflict = "conflict";
    public const string Resolved = "resolved";
    public const string Transfer = "transfer";
    public const string RemoteConnected = "remote-connected";
    public const string RemoteDisconnected = "remote-disconnected";
    public const string Error = "error";

    public static ImmutableArray<string> All { get; } =
        [Change, Commit, Push, Receive, Conflict, Resolved, Transfer, RemoteConnected, RemoteDisconnected, Error];
}
