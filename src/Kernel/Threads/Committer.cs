using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Coordination;
using Tether.Kernel.Daemon;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Native;
using Tether.Kernel.Status;
using Tether.Kernel.Watching;
using Tether.Kernel.Committing;

namespace Tether.Kernel.Threads;

/// <summary>
/// The Committer thread: turns work-tree changes into commits. It batches the watcher's changes (see <see cref="PendingChanges"/>),
/// annexes large files and commits, and hands each commit on to its subscribers (pusher, transfer scanner).
/// A commit, once begun, is finished even when the daemon is stopping: no half-ingested file, no half commit.
/// </summary>
public sealed class Committer(
    ChannelReader<WorkTreeChange> changes,
    WorkTreeCommitter workTree,
    RepositoryGate gate,
    CommitTiming timing,
    IReadOnlyList<ChannelWriter<CommitResult>> commitSubscribers,
    EventBus events,
    DaemonStatus status,
    TimeProvider clock,
    ILogger log,
    SyncPause? pause = null,
    DeletionGuard? guard = null)
{
    private readonly SyncPause _pause = pause ?? new SyncPause();
    private readonly DeletionGuard _guard = guard ?? DeletionGuard.Off;
    private volatile bool _acceptDeletionsOnce;

    private readonly PendingChanges _pending = new(timing);
    // Paths a commit could not take yet; filled from whichever thread committed, drained by the loop.
    private readonly System.Collections.Concurrent.ConcurrentQueue<string?> _retryLater = new();
    private readonly Doorbell _retryAdded = new();

    public async Task RunAsync(CancellationToken ct)
    {
        workTree.Guard = _guard;
        while (!ct.IsCancellationRequested)
        {
            DrainAvailable();
            if (_pause.IsPaused)
            {
                if (!await WaitForChangeAsync(Timeout.InfiniteTimeSpan, ct)) break;
                continue;
            }
            var wait = _pending.TimeUntilReady(clock.GetUtcNow());
            if (wait is null)
            {
                ReturnMemoryAfterLargeWork();
                if (!await WaitForChangeAsync(Timeout.InfiniteTimeSpan, ct)) break;
                continue;
            }
            if (wait > TimeSpan.Zero) { await WaitForChangeAsync(wait.Value, ct); continue; }
            var (any, paths, stillOpen) = _pending.TakeReady(clock.GetUtcNow());
            _largeWorkDone |= paths is null || paths.Count > LargeBatch;
            status.SetPendingChanges(_pending.Count);
            if (any) await CommitAsync(paths, stillOpen, ct);
        }
    }

    private const int LargeBatch = 1000;
    private bool _largeWorkDone;

    /// <summary>
    /// A burst of thousands of paths (or a full scan) leaves the GC heap large; once the daemon goes idle, one
    /// compacting collection hands that memory back to the system, so a daemon watching 100,000 files stays small.
    /// </summary>
    private void ReturnMemoryAfterLargeWork()
    {
        if (!_largeWorkDone) return;
        _largeWorkDone = false;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Native.NativeMemory.Trim(); // libgit2's freed index and object memory
        log.LogDebug("Idle after a large batch: memory returned to the system ({Bytes} bytes of heap in use)", GC.GetTotalMemory(false));
    }

    private void DrainAvailable()
    {
        while (_retryLater.TryDequeue(out var path))
            if (path is null) _pending.Add(new WorkTreeChange(WorkTreeChangeKind.RescanAll, ""), clock.GetUtcNow());
            else _pending.Defer(path, clock.GetUtcNow());
        while (changes.TryRead(out var change))
            if (!IsOwnTemporary(change.RelativePath)) _pending.Add(change, clock.GetUtcNow());
        status.SetPendingChanges(_pending.Count);
    }

    /// <summary>`tether resume`: commit again; with acceptDeletions the next commit may delete past the guard.</summary>
    public void Resume(bool acceptDeletions)
    {
        _acceptDeletionsOnce = acceptDeletions;
        _retryLater.Enqueue(null); // a full scan: the tree may have been restored meanwhile
        status.SetWarning("deletion guard", null);
        _pause.Resume();
        WakeForRetries();
    }

    /// <summary>The symlink an ingest renames over a file: its own events are not changes.</summary>
    private static bool IsOwnTemporary(string path) =>
        Path.GetFileName(path).StartsWith(WorkTreeCommitter.LinkTempPrefix, StringComparison.Ordinal);

    private void RetryLater(IReadOnlyCollection<string>? paths)
    {
        if (paths is null) _retryLater.Enqueue(null);
        else foreach (var path in paths) _retryLater.Enqueue(path);
    }

    private const string DiskFullTopic = "disk full";

    /// <summary>How long a full disk pauses syncing before the commit is tried again.</summary>
    public static readonly TimeSpan DiskFullRetry = TimeSpan.FromSeconds(30);

    private async Task RetryAfterDiskFullAsync()
    {
        await Task.Delay(DiskFullRetry, clock);
        status.SetWarning(DiskFullTopic, null);
        _pause.Resume(DiskFullTopic);
        WakeForRetries();
    }

    private int _failuresInARow;

    /// <summary>A failure no path explains is retried after 0.5 s, doubling to at most a minute: never a tight loop.</summary>
    private static TimeSpan FailureBackoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(60_000, 500 << Math.Min(failures - 1, 7)));

    private async Task WakeAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, clock);
        WakeForRetries();
    }

    private const string SetAsideTopic = "set aside";

    /// <summary>Paths the last commit set aside: an error event and a status warning each; tried again when their back-off ends.</summary>
    private void ReportSetAside()
    {
        foreach (var (path, reason, retryIn) in workTree.NewlySetAside)
        {
            events.Publish(new ErrorEvent(clock.GetUtcNow(), SetAsideTopic, $"{path} cannot be committed ({reason}); it is set aside and tried again in {retryIn}"));
            RetryPathAfterAsync(path, retryIn).Forget(log, $"Retrying the set-aside {path}");
        }
        status.SetWarning(SetAsideTopic, workTree.SetAside.Summary());
    }

    private async Task RetryPathAfterAsync(string path, TimeSpan delay)
    {
        await Task.Delay(delay, clock);
        _retryLater.Enqueue(path);
        WakeForRetries();
    }

    private void WakeForRetries()
    {
        _retryAdded.Ring();
    }

    /// <summary>Waits for the next change or the timeout; false when the channel is complete or we are stopping.</summary>
    private async Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var change = changes.WaitToReadAsync(cts.Token).AsTask();
        var retryOrTimeout = _retryAdded.WaitAsync(timeout, clock, cts.Token);
        var first = await Task.WhenAny(change, retryOrTimeout);
        await cts.CancelAsync(); // stop waiting on the other one (a ring not taken stays for the next wait)
        if (ct.IsCancellationRequested) return false;
        return first != change || await change; // false: the channel is complete
    }

    private async Task CommitAsync(IReadOnlyCollection<string>? paths, IReadOnlySet<string> stillOpen, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct)) await CommitHoldingGateAsync(paths, stillOpen);
    }

    /// <summary>
    /// Commits everything in the tree now; the caller holds the <see cref="RepositoryGate"/> (used before merges).
    /// Throws when something could not be committed (the commit failed, a file is still being written, syncing is
    /// paused): a merge must never meet uncommitted changes, or its checkout and conflict resolution could replace them
    /// (found by the fuzz's soak, seed 1332691013: a save made just before a failed commit was lost). The merge is
    /// retried with the next received ref, push retry or poke.
    /// </summary>
    public async Task CommitAllHoldingGateAsync(CancellationToken ct)
    {
        if (!await CommitHoldingGateAsync(null, null))
            throw new IOException("the work tree could not be committed completely; merging later, so no uncommitted change is overwritten");
    }

    /// <summary>True when every change was committed (or there was none).</summary>
    private async Task<bool> CommitHoldingGateAsync(IReadOnlyCollection<string>? paths, IReadOnlySet<string>? stillOpen)
    {
        CommitResult? result;
        var started = clock.GetTimestamp();
        if (_pause.IsPaused) { RetryLater(paths); return false; }
        var accepting = _acceptDeletionsOnce;
        workTree.Guard = accepting ? DeletionGuard.Off : _guard;
        try
        {
            result = await workTree.CommitPendingAsync(paths, CancellationToken.None, stillOpen);
            if (accepting) _acceptDeletionsOnce = false;
            log.LogDebug("Commit of {Paths} took {Elapsed:0} ms", paths?.Count.ToString() ?? "a full scan", clock.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (MassDeletionBlockedException e)
        {
            log.LogError("{Message}", e.Message);
            _pause.Pause(e.Message);
            status.SetWarning("deletion guard", e.Message);
            events.Publish(new ErrorEvent(clock.GetUtcNow(), "deletion guard", e.Message));
            RetryLater(paths);
            return false;
        }
        catch (Exception e) when (e is DiskFullException || DiskFull.Is(e))
        {
            // Retrying at once would re-hash the same files in a tight loop (each try's chmod is itself a change event).
            log.LogError("{Message}; nothing is committed, pulled or pushed for {Delay}, then the commit is tried again", e.Message, DiskFullRetry);
            _pause.Pause(DiskFullTopic, e.Message);
            status.SetWarning(DiskFullTopic, e.Message);
            events.Publish(new ErrorEvent(clock.GetUtcNow(), DiskFullTopic, e.Message));
            RetryLater(paths);
            RetryAfterDiskFullAsync().Forget(log, "Resuming after a full disk");
            return false;
        }
        catch (Exception e) when (e is IOException or LibGit2Sharp.LibGit2SharpException or UnauthorizedAccessException)
        {
            var delay = FailureBackoff(++_failuresInARow);
            log.LogError(e, "Commit failed; retrying the same changes in {Delay}", delay);
            events.Publish(new ErrorEvent(clock.GetUtcNow(), "committer", e.Message));
            await workTree.RemoveStaleLocksAsync(CancellationToken.None); // a lock left behind would fail every retry
            RetryLater(paths);
            WakeAfterAsync(delay).Forget(log, "Waking the committer for a retry");
            return false;
        }
        _failuresInARow = 0;
        ReportSetAside();
        foreach (var path in workTree.Deferred) _retryLater.Enqueue(path);
        var complete = workTree.Deferred.Count == 0;
        if (!complete) WakeForRetries();
        if (result is null) return complete;
        status.CommitMade(result.CommitId, result.Summary());
        var now = clock.GetUtcNow();
        events.Publish(new ChangeEvent(now, result));
        events.Publish(new CommitEvent(now, result.CommitId, result.Summary()));
        foreach (var subscriber in commitSubscribers) subscriber.TryWrite(result); // unbounded: never blocks a commit
        return complete;
    }
}
