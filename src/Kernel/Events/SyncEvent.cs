using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Committing;

namespace Tether.Kernel.Events;

/// <summary>
/// What the daemon tells the world (hooks, status, logs). One closed family: the event name is what hooks
/// subscribe to (see HookEvents), the payload is the record's properties.
/// </summary>
public abstract record SyncEvent(DateTimeOffset At)
{
    public abstract string Name { get; }
}

/// <summary>Paths added, modified, deleted or renamed in one local commit.</summary>
public sealed record ChangeEvent(DateTimeOffset At, CommitResult Commit) : SyncEvent(At)
{
    public override string Name => "change";
}

/// <summary>A local commit was made (of work-tree changes or of a merge).</summary>
public sealed record CommitEvent(DateTimeOffset At, string CommitId, string Summary) : SyncEvent(At)
{
    public override string Name => "commit";
}

/// <summary>A push to one remote finished; Error is null on success.</summary>
public sealed record PushEvent(DateTimeOffset At, string Remote, bool Ok, string? Error) : SyncEvent(At)
{
    public override string Name => "push";
}

/// <summary>Changes from a remote (or pushed into us, Remote null) were merged into our branch.</summary>
public sealed record ReceiveEvent(DateTimeOffset At, string? Remote, IReadOnlyList<MergeOutcome> Merges) : SyncEvent(At)
{
    public override string Name => "receive";
}

/// <summary>A merge met conflicts and kept every version under variant names.</summary>
public sealed record ConflictEvent(DateTimeOffset At, IReadOnlyList<ResolvedConflict> Conflicts) : SyncEvent(At)
{
    public override string Name => "conflict";
}

/// <summary>A conflict was ended by `tether resolve`: Path holds the kept version (or the merge); Removed went to history.</summary>
public sealed record ResolvedEvent(DateTimeOffset At, string Path, string How, IReadOnlyList<string> Kept, IReadOnlyList<string> Removed) : SyncEvent(At)
{
    public override string Name => "resolved";
}

/// <summary>A content transfer started, finished or failed.</summary>
public sealed record TransferEvent(DateTimeOffset At, string Direction, string Phase, string Key, string File, string Remote, long Bytes, string? Error) : SyncEvent(At)
{
    public override string Name => "transfer";
}

/// <summary>Something went wrong that the user should hear of.</summary>
public sealed record ErrorEvent(DateTimeOffset At, string Component, string Message) : SyncEvent(At)
{
    public override string Name => "error";
}
