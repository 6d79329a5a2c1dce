using Tether.Kernel.Merging;

namespace Tether.Kernel.Threads;

/// <summary>Something that came from outside: what a pull or a peer's push brought, or a remote reached again.</summary>
public abstract record Arrival;

/// <summary>Merges made from what <paramref name="Remote"/> sent (null: pushed into us by some peer), and whether the git-annex branch changed.</summary>
public sealed record ChangesReceived(string? Remote, IReadOnlyList<MergeOutcome> Merges, bool AnnexChanged) : Arrival;

/// <summary>A remote's worker reached it after it was unreachable (or for the first time).</summary>
public sealed record RemoteReached(string Remote) : Arrival;
