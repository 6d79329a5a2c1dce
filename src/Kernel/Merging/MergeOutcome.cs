namespace Tether.Kernel.Merging;

/// <summary>The result of merging one ref into the current branch.</summary>
public sealed record MergeOutcome(MergeKind Kind, string RefName, IReadOnlyList<ResolvedConflict> Conflicts)
{
    public bool Changed => Kind is not MergeKind.UpToDate;
}

public enum MergeKind { UpToDate, FastForward, Merged, MergedWithConflicts }

/// <summary>A conflicted path and the names its surviving versions were given.</summary>
public sealed record ResolvedConflict(string Path, IReadOnlyList<string> KeptAs);
