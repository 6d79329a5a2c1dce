using Tether.Kernel.Daemon;
namespace Tether.Kernel.Coordination;

/// <summary>
/// Serialises the operations that write the index, HEAD or the work tree (commit, merge): libgit2 and git
/// both refuse a held index.lock, and two writers would race. Fetches and pushes do not need it.
/// </summary>
public sealed class RepositoryGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return new Release(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}
