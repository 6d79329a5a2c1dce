namespace Tether.Kernel.Status;

/// <summary>What the daemon last saw of one remote.</summary>
public sealed record RemoteStatus
{
    public required string Name { get; init; }
    public DateTimeOffset? LastPushAt { get; init; }
    public bool? LastPushOk { get; init; }
    public string? LastPushError { get; init; }
    public DateTimeOffset? LastPullAt { get; init; }
    public bool? LastPullOk { get; init; }
    public string? LastPullError { get; init; }
    public DateTimeOffset? NextRetryAt { get; init; }

    /// <summary>When the next periodic pull is due (pull_interval); null while the live notification serves the remote, or none is made.</summary>
    public DateTimeOffset? NextPullAt { get; init; }

    /// <summary>The remote's main line when its name differs from ours ("master" for our "main"); null when they match.</summary>
    public string? MainLine { get; init; }

    /// <summary>Why the remote cannot be reached now (its drive is not mounted), as a trigger reported; null when it can.</summary>
    public string? Unavailable { get; init; }

    /// <summary>
    /// The live notification session (ssh remotes): true while the server tells us of its changes as they happen,
    /// false while it is being reconnected; null when the remote has none (or the server cannot notify).
    /// </summary>
    public bool? Live { get; init; }

    /// <summary>A content-only remote (rsync, external): it holds annexed content, no git (no history, no small files).</summary>
    public bool ContentOnly { get; init; }
}
