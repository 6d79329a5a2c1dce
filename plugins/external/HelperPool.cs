namespace Tether.Plugins.External;

/// <summary>
/// The helper processes of one remote: started on demand up to <see cref="HelperOptions.MaxProcesses"/> (one per
/// parallel transfer), each prepared once (PREPARE) and kept for the requests that follow, as git-annex keeps them.
/// A session that broke is dropped, never handed out again.
/// </summary>
internal sealed class HelperPool(HelperOptions options, Func<CancellationToken, Task<HelperSession>> start) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxProcesses, options.MaxProcesses);
    private readonly Stack<HelperSession> _idle = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Processes started so far (for tests and measurements: one per slot, not one per request).</summary>
    public int Started { get; private set; }

    /// <summary>Runs <paramref name="use"/> with a prepared session; returns it to the pool if it is still in step.</summary>
    public async Task<T> UseAsync<T>(Func<HelperSession, Task<T>> use, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        HelperSession? session = null;
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _idle.TryPop(out session);
            }
            if (session is null)
            {
                session = await start(ct);
                lock (_lock) Started++;
            }
            return await use(session);
        }
        finally
        {
            if (session is not null) await ReturnAsync(session);
            _slots.Release();
        }
    }

    private async Task ReturnAsync(HelperSession session)
    {
        lock (_lock)
        {
            if (session.Healthy && !_disposed)
            {
                _idle.Push(session);
                return;
            }
        }
        await session.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        HelperSession[] idle;
        lock (_lock)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        await Task.WhenAll(idle.Select(s => s.DisposeAsync().AsTask()));
    }
}
