namespace Tether.Plugins.External;

/// <summary>
/// The helper processes of one remote, each prepared once (PREPARE) and kept for the requests that follow, as git-annex
/// keeps them; at most <see cref="HelperOptions.MaxParallel"/> requests at once. As git-annex does, the first process
/// is started alone: when it speaks ASYNC it serves every parallel request (one job each); else each parallel request
/// gets a process of its own. A session that broke is dropped, never handed out again; the next request starts another.
/// </summary>
internal sealed class HelperPool(HelperOptions options, Func<CancellationToken, Task<HelperSession>> start) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxParallel, options.MaxParallel);
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly Stack<HelperSession> _idle = new();
    private readonly Lock _lock = new();
    private HelperSession? _shared; // the ASYNC process
    private bool _withoutAsync; // the helper answered EXTENSIONS without ASYNC: a process per parallel request
    private bool _disposed;

    /// <summary>Processes started so far (for tests and measurements: one per slot, or one with ASYNC; not one per request).</summary>
    public int Started { get; private set; }

    /// <summary>Runs <paramref name="use"/> with a job on a prepared session; a session still in step is kept.</summary>
    public async Task<T> UseAsync<T>(Func<HelperJob, Task<T>> use, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        HelperJob? job = null;
        try
        {
            job = await JobAsync(ct);
            return await use(job);
        }
        finally
        {
            if (job is not null) await ReturnAsync(job);
            _slots.Release();
        }
    }

    private async Task<HelperJob> JobAsync(CancellationToken ct)
    {
        if (await KeptJobAsync() is { } kept) return kept;
        bool withoutAsync;
        lock (_lock) withoutAsync = _withoutAsync;
        if (withoutAsync) return await (await StartAsync(ct)).OpenJobAsync("the start");
        // Whether the helper speaks ASYNC is known once a process answered EXTENSIONS: until then, one start at a time.
        await _starting.WaitAsync(ct);
        try
        {
            if (await KeptJobAsync() is { } started) return started; // another request started an ASYNC one meanwhile
            var session = await StartAsync(ct);
            lock (_lock)
            {
                if (!session.Async) _withoutAsync = true;
                else if (_shared is null) _shared = session;
            }
            return await session.OpenJobAsync("the start");
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>A job on the ASYNC process, or an idle process of a helper without ASYNC; broken ones are dropped.</summary>
    private async Task<HelperJob?> KeptJobAsync()
    {
        List<HelperSession> broken = [];
        HelperJob? job = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_shared is { } shared)
            {
                job = shared.TryOpenJob();
                if (job is null && shared.Healthy) throw new InvalidOperationException($"{options.Describe}: more requests than parallel slots");
                if (job is null)
                {
                    _shared = null;
                    if (shared.RunningJobs == 0) broken.Add(shared); // else its last job disposes it
                }
            }
            while (job is null && _idle.TryPop(out var idle))
            {
                job = idle.TryOpenJob();
                if (job is null) broken.Add(idle);
            }
        }
        foreach (var session in broken) await session.DisposeAsync();
        return job;
    }

    private async Task<HelperSession> StartAsync(CancellationToken ct)
    {
        var session = await start(ct);
        lock (_lock) Started++;
        return session;
    }

    private async Task ReturnAsync(HelperJob job)
    {
        await job.CloseAsync();
        var session = job.Session;
        lock (_lock)
        {
            if (session.Async)
            {
                if (!session.Healthy && _shared == session) _shared = null;
                if (_shared == session || session.RunningJobs > 0) return;
            }
            else if (session.Healthy && !_disposed)
            {
                _idle.Push(session);
                return;
            }
        }
        await session.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        List<HelperSession> now;
        lock (_lock)
        {
            _disposed = true;
            now = [.. _idle];
            _idle.Clear();
            if (_shared is { RunningJobs: 0 } shared) now.Add(shared); // else its last job disposes it
            _shared = null;
        }
        await Task.WhenAll(now.Select(s => s.DisposeAsync().AsTask()));
    }
}
