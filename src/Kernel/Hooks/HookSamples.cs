using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Committing;

namespace Tether.Kernel.Hooks;

/// <summary>A plausible event of each kind: for `tether hooks test EVENT`, and to check templates when the config is read.</summary>
public static class HookSamples
{
    public const string SampleCommit = "0123456789abcdef0123456789abcdef01234567";

    public static SyncEvent For(string eventName, DateTimeOffset at, string remote = "origin", IReadOnlyList<string>? paths = null)
    {
        var files = paths is { Count: > 0 } ? paths : ["notes/today.md", "photos/beach.jpg"];
        string key = "SHA256E-s1048576--6d3a1c7e0f2b9a8d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4.jpg";
        return eventName switch
        {
            "change" => new ChangeEvent(at, new CommitResult(SampleCommit, files, [], [], [], files.Where(f => f.EndsWith(".jpg", StringComparison.Ordinal)).ToList())),
            "commit" => new CommitEvent(at, SampleCommit, $"{files.Count} added"),
            "push" => new PushEvent(at, remote, true, null),
            "receive" => new ReceiveEvent(at, remote, [new MergeOutcome(MergeKind.FastForward, $"refs/remotes/{remote}/synced/main", [])]),
            "conflict" => new ConflictEvent(at, files.Select(f => new ResolvedConflict(f, [Variant(f, "1a2b"), Variant(f, "3c4d")])).ToList()),
            "resolved" => new ResolvedEvent(at, files[0], "keep", [files[0]], [Variant(files[0], "3c4d")]),
            "transfer" => new TransferEvent(at, "upload", "finished", key, files[^1], remote, 1_048_576, null),
            "remote-connected" => new RemoteConnectedEvent(at, remote, "drive mounted"),
            "remote-disconnected" => new RemoteDisconnectedEvent(at, remote, "drive unmounted"),
            "error" => new ErrorEvent(at, "pusher", $"push to {remote} failed: connection refused"),
            _ => throw new ArgumentException($"unknown event '{eventName}'", nameof(eventName)),
        };
    }

    /// <summary>git-annex's variant form, name.variant-XXXX.ext (the real XXXX comes from the content's key).</summary>
    private static string Variant(string path, string code)
    {
        int slash = path.LastIndexOf('/');
        int dot = path.LastIndexOf('.');
        return dot > slash + 1 ? $"{path[..dot]}.variant-{code}{path[dot..]}" : $"{path}.variant-{code}";
    }
}
