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
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
