using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Committing;

namespace Tether.Kernel.OneShot;

/// <summary>What one `tether sync` did, per remote; failures are listed, not thrown.</summary>
public sealed class SyncReport
{
    public CommitResult? LocalCommit { get; set; }
    public IReadOnlyList<string> Deferred { get; set; } = [];
    public List<MergeOutcome> Merges { get; } = [];
    public Dictionary<string, RemoteReport> Remotes { get; } = new(StringComparer.Ordinal);
    public int Uploaded { get; set; }
    public int Downloaded { get; set; }

    /// <summary>Transfers left alone because another process runs them (or the reverse) right now.</summary>
    public int Busy { get; set; }
    public List<string> MissingContent { get; } = [];

    public bool Failed => Remotes.Values.Any(r => r.Errors.Count > 0) || MissingContent.Count > 0;
    public IEnumerable<ResolvedConflict> Conflicts => Merges.SelectMany(m => m.Conflicts);
}

public sealed class RemoteReport
{
    public bool Pulled { get; set; }
    public bool Pushed { get; set; }

    /// <summary>A content-only remote (rsync and other special remotes): there is no git to pull or push.</summary>
    public bool ContentOnly { get; init; }
    public List<string> Errors { get; set; } = [];
}
