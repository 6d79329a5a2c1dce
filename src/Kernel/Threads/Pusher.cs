using System.Threading.Channels;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Kernel.Committing;

namespace Tether.Kernel.Threads;

/// <summary>
/// The Pusher thread: after each commit, asks every remote's worker to push. The workers run in parallel,
/// each on its own, so pushes to all remotes go out at once and a dead remote only delays itself.
/// Remotes can be added and removed while it runs (a config reload).
/// </summary>
public sealed class Pusher(ChannelReader<CommitResult> commits, Func<Remote, RemoteWorker> createWorker)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (RemoteWorker Worker, CancellationTokenSource Stop, Task Running)> _workers = [];
    private CancellationToken _stopping = CancellationToken.None;

    public IReadOnlyList<RemoteWorker> Workers
    {
        get { lock (_lock) return _workers.Values.Select(w => w.Worker).OrderBy(w => w.Name, StringComparer.Ordinal).ToList(); }
    }

    /// <summary>Starts workers for new remotes, stops those of removed ones; returns the names added.</summary>
    public IReadOnlyList<string> SetRemotes(IEnumerable<Remote> remotes)
    {
        var wanted = remotes.ToDictionary(r => r.Name);
        var added = new List<string>();
        lock (_lock)
        {
            foreach (var name in _workers.Keys.Where(n => !wanted.ContainsKey(n)).ToList())
            {
                _workers[name].Stop.Cancel();
                _workers.Remove(name);
            }
            foreach (var remote in wanted.Values.Where(r => !_workers.ContainsKey(r.Name) || _workers[r.Name].Worker.Remote != r))
            {
                if (_workers.Remove(remote.Name, out var old)) old.Stop.Cancel(); // its url or cost changed
                var worker = createWorker(remote);
                var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                _workers[remote.Name] = (worker, stop, Task.Run(() => worker.RunAsync(stop.Token), CancellationToken.None));
                worker.Request(RemoteWork.Pull | RemoteWork.Push);
                added.Add(remote.Name);
            }
        }
        return added;
    }

    /// <summary>Completes once <see cref="RunAsync"/> has started the first workers (later <see cref="SetRemotes"/> calls may follow).</summary>
    public Task Started => _started.Task;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(IEnumerable<Remote> remotes, CancellationToken ct)
    {
        lock (_lock) _stopping = ct;
        SetRemotes(remotes);
        _started.TrySetResult();
        try
        {
            await foreach (var _ in commits.ReadAllAsync(ct))
            {
                while (commits.TryRead(out var _)) { } // a burst of commits needs one push
                PushAll();
            }
        }
        catch (OperationCanceledException) { }
        List<Task> running;
        lock (_lock) running = _workers.Values.Select(w => w.Running).ToList();
        await Task.WhenAll(running);
    }

    public void PushAll()
    {
        foreach (var worker in Workers) worker.Request(RemoteWork.Push);
    }

    /// <summary>`tether poke [REMOTE]`: the remote has changes (or is back): pull it and push to it now.</summary>
    /// <returns>False when no remote has that name.</returns>
    public bool Poke(string? remote)
    {
        var selected = Workers.Where(w => remote is null || w.Name == remote).ToList();
        foreach (var worker in selected) worker.Request(RemoteWork.Pull | RemoteWork.Push);
        return selected.Count > 0;
    }

    public IReadOnlyList<RemoteEndpoint> OpenEndpoints() => Workers.Select(w => w.Endpoint).OfType<RemoteEndpoint>().ToList();
}
