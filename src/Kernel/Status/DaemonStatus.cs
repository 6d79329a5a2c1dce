using System.Collections.Concurrent;

namespace Tether.Kernel.Status;

/// <summary>
/// The daemon's live state, written by each component and read by the control endpoint. Thread-safe:
/// components replace immutable records, readers take a snapshot.
/// </summary>
public sealed class DaemonStatus(string repository, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, RemoteStatus> _remotes = new();
    private readonly ConcurrentDictionary<string, string> _warnings = new();
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private volatile CommitInfo? _lastCommit;
    private int _pendingChanges;
    private Func<IReadOnlyList<TransferStatus>> _transfers = () => [];
    private Func<IReadOnlyList<TransferProblem>> _problems = () => [];
    private Func<(IReadOnlyList<UnderReplicatedFile> Files, int Count)> _belowNumcopies = () => ([], 0);
    private Func<bool> _transfersPaused = () => false;

    private sealed record CommitInfo(string Id, DateTimeOffset At, string Summary);

    public void CommitMade(string id, string summary) => _lastCommit = new CommitInfo(id, clock.GetUtcNow(), summary);

    public void SetPendingChanges(int count) => Interlocked.Exchange(ref _pendingChanges, count);

    public void UpdateRemote(string name, Func<RemoteStatus, RemoteStatus> change) =>
        _remotes.AddOrUpdate(name, n => change(new RemoteStatus { Name = n }), (_, old) => change(old));

    public RemoteStatus? Remote(string name) => _remotes.GetValueOrDefault(name);

    /// <summary>A standing problem (e.g. the inotify watch limit), shown until cleared.</summary>
    public void SetWarning(string topic, string? message)
    {
        if (message is null) _warnings.TryRemove(topic, out _);
        else _warnings[topic] = message;
    }

    public void ShowTransfersFrom(Func<IReadOnlyList<TransferStatus>> source) => _transfers = source;

    public void ShowTransferProblemsFrom(Func<IReadOnlyList<TransferProblem>> source) => _problems = source;

    public void ShowBelowNumcopiesFrom(Func<(IReadOnlyList<UnderReplicatedFile> Files, int Count)> source) => _belowNumcopies = source;

    public StatusSnapshot Snapshot()
    {
        var (below, belowCount) = _belowNumcopies();
        return new()
        {
            Running = true,
            Pid = Environment.ProcessId,
            Repository = repository,
            StartedAt = _startedAt,
            LastCommit = _lastCommit?.Id,
            LastCommitAt = _lastCommit?.At,
            LastCommitSummary = _lastCommit?.Summary,
            PendingChanges = Volatile.Read(ref _pendingChanges),
            Remotes = _remotes.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            Transfers = _transfers(),
            Warnings = _warnings.Values.Order(StringComparer.Ordinal).ToList(),
            FailedTransfers = _problems(),
            BelowNumcopies = below,
            BelowNumcopiesCount = belowCount,
            TransfersPaused = _transfersPaused(),
        };
    }

    public void ShowTransfersPausedFrom(Func<bool> source) => _transfersPaused = source;
}
