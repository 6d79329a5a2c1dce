using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Committing;

namespace Tether.Kernel.Hooks;

/// <summary>
/// Folds an event into one that is still waiting for the same hook, so a flood of events costs a hook one
/// run, not one process each. Events coalesce when they have the same name and remote (a push to b never
/// hides a push to c). change, conflict and receive events are merged (their paths and merges joined, the
/// newer commit kept); the other kinds keep the newest. The payload's <c>coalesced</c> counts what was folded in.
/// </summary>
public static class HookEventCoalescer
{
    public static string KeyOf(SyncEvent e) => e.Name + "\0" + HookEventPayload.RemoteOf(e);

    public static SyncEvent Merge(SyncEvent older, SyncEvent newer) => (older, newer) switch
    {
        (ChangeEvent a, ChangeEvent b) => b with
        {
            Commit = new CommitResult(b.Commit.CommitId,
                [.. a.Commit.Added, .. b.Commit.Added],
                [.. a.Commit.Modified, .. b.Commit.Modified],
                [.. a.Commit.Deleted, .. b.Commit.Deleted],
                [.. a.Commit.Renamed, .. b.Commit.Renamed],
                [.. a.Commit.Annexed, .. b.Commit.Annexed]),
        },
        (ConflictEvent a, ConflictEvent b) => b with { Conflicts = [.. a.Conflicts, .. b.Conflicts] },
        (ReceiveEvent a, ReceiveEvent b) => b with { Merges = [.. a.Merges, .. b.Merges] },
        _ => newer,
    };
}
