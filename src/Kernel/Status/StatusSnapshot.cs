namespace Tether.Kernel.Status;

/// <summary>The daemon's state at one moment: what `tether status` prints (and --json serialises).</summary>
public sealed record StatusSnapshot
{
    public required bool Running { get; init; }
    public int? Pid { get; init; }
    public string? Repository { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? LastCommit { get; init; }
    public DateTimeOffset? LastCommitAt { get; init; }
    public string? LastCommitSummary { get; init; }
    public int PendingChanges { get; init; }
    public IReadOnlyList<RemoteStatus> Remotes { get; init; } = [];
    public IReadOnlyList<TransferStatus> Transfers { get; init; } = [];
    /// <summary>`tether transfers pause` is in force: nothing starts until `tether transfers resume`.</summary>
    public bool TransfersPaused { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Transfers that failed or were cancelled and have not succeeded since, each with what happens next.</summary>
    public IReadOnlyList<TransferProblem> FailedTransfers { get; init; } = [];

    /// <summary>Files with fewer copies than numcopies (the first few), and how many in all.</summary>
    public IReadOnlyList<UnderReplicatedFile> BelowNumcopies { get; init; } = [];
    public int BelowNumcopiesCount { get; init; }
}
