using Microsoft.Extensions.Logging;
using Tether.Kernel.Native;

namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// A transfer this process runs: holds the fcntl lock on its lock file and keeps its info file's byte count current.
/// End it with <see cref="Complete"/> or <see cref="Fail"/>; disposing without completing records a failure.
/// Thread-safe (progress may be reported from any thread).
/// </summary>
public sealed class ActiveTransfer : IProgress<long>, IDisposable
{
    /// <summary>The byte count is written at least this often while it changes.</summary>
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(1);
    /// <summary>git-annex's step when the key's size is unknown.</summary>
    public const long UnknownSizeStep = 100 * 1024;

    private enum State { Running, Completed, Failed }

    private readonly TransferRecordStore _store;
    private readonly PosixFileLock _lock;
    private readonly long _step;
    private readonly Lock _sync = new();
    private TransferInfo _written;
    private long? _latest;
    private long _lastWriteTimestamp;
    private ITimer? _timer;
    private bool _timerArmed;
    private State _state;
    private int _writeCount = 1; // the info written when the transfer began

    internal ActiveTransfer(TransferRecordStore store, TransferId id, PosixFileLock held, TransferInfo info)
    {
        _store = store;
        Id = id;
        _lock = held;
        _written = info;
        _latest = info.BytesDone;
        _lastWriteTimestamp = store.Clock.GetTimestamp();
        _step = id.Key.Size is { } size ? Math.Max(size / 100, 1) : UnknownSizeStep;
        InfoPath = store.InfoPath(id);
    }

    public TransferId Id { get; }
    public string InfoPath { get; }

    /// <summary>The record as known now (bytes as last reported, possibly not yet written).</summary>
    public TransferInfo Info
    {
        get { lock (_sync) return _written.WithBytes(_latest); }
    }

    /// <summary>How many times the info file was written (the first write included).</summary>
    internal int WriteCount
    {
        get { lock (_sync) return _writeCount; }
    }

    void IProgress<long>.Report(long value) => ReportBytes(value);

    /// <summary>
    /// Bytes moved so far. The info file is rewritten (temp file + rename) when the count moved by 1% of the key's
    /// size (100 KiB if unknown) since the last write, as git-annex does, or when a second has passed: a count that
    /// stops changing is written at most a second later, by a timer. (A 1 MiB cap on the step made a GiB cost a
    /// thousand rewrites, a quarter of the ssh backend's throughput.)
    /// </summary>
    public void ReportBytes(long done)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(done);
        lock (_sync)
        {
            if (_state != State.Running) return;
            _latest = done;
            if (_written.BytesDone == done) return;
            var elapsed = _store.Clock.GetElapsedTime(_lastWriteTimestamp);
            if (Math.Abs(done - (_written.BytesDone ?? 0)) >= _step || elapsed >= MaxStaleness)
                Flush();
            else
                ArmTimer(MaxStaleness - elapsed);
        }
    }

    /// <summary>Success: removes the info file, any failed record of this transfer, then the lock file (still held) and releases the lock.</summary>
    public void Complete()
    {
        lock (_sync)
        {
            if (_state == State.Completed) return;
            if (_state == State.Failed) throw new InvalidOperationException($"transfer {Id} already failed");
            _state = State.Completed;
            _timer?.Dispose();
            try
            {
                TransferRecordStore.DeleteIfExists(InfoPath);
                _store.RemoveFailed(Id);
            }
            finally
            {
                TransferLockRegistry.Release(_lock, unlink: true);
            }
        }
    }

    /// <summary>Failure: the info (with the last reported bytes) goes to <c>failed/</c>, then the record is removed and the lock released.</summary>
    public void Fail()
    {
        lock (_sync)
        {
            if (_state == State.Failed) return;
            if (_state == State.Completed) throw new InvalidOperationException($"transfer {Id} already completed");
            _state = State.Failed;
            _timer?.Dispose();
            try
            {
                _store.WriteAtomically(_store.FailedPath(Id), _written.WithBytes(_latest));
                TransferRecordStore.DeleteIfExists(InfoPath);
            }
            finally
            {
                TransferLockRegistry.Release(_lock, unlink: true);
            }
        }
    }

    /// <summary>Without <see cref="Complete"/>, records a failure.</summary>
    public void Dispose()
    {
        try
        {
            Fail();
        }
        catch (InvalidOperationException) { } // completed
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _store.Logger.LogWarning(e, "Could not record transfer {Transfer} as failed", Id);
        }
    }

    private void Flush()
    {
        var next = _written.WithBytes(_latest);
        try
        {
            _store.WriteAtomically(InfoPath, next);
            _written = next;
            _writeCount++;
            _lastWriteTimestamp = _store.Clock.GetTimestamp();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Progress is advisory (git-annex ignores these errors too); try again a second later.
            _store.Logger.LogDebug(e, "Could not update transfer record {Path}", InfoPath);
            _lastWriteTimestamp = _store.Clock.GetTimestamp();
            ArmTimer(MaxStaleness);
        }
    }

    private void ArmTimer(TimeSpan due)
    {
        if (_timerArmed) return;
        _timerArmed = true;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (_timer is null) _timer = _store.Clock.CreateTimer(_ => OnTimer(), null, due, Timeout.InfiniteTimeSpan);
        else _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_sync)
        {
            _timerArmed = false;
            if (_state != State.Running || _written.BytesDone == _latest) return;
            Flush();
        }
    }
}
