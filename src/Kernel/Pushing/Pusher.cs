using System.Threading.Channels;
using Tether.Kernel.Git;
using Tether.Kernel.Sync;

namespace Tether.Kernel.Pushing;

/// <summary>
/// The Pusher thread: after each commit, asks every remote's worker to push. The workers run in parallel,
/// each on its own, so pushes to all remotes go out at once and a dead remote only delays itself.
/// </summary>
public sealed class Pusher(ChannelReader<CommitResult> commits, IReadOnlyList<RemoteWorker> workers)
{
    public IReadOnlyList<RemoteWorker> Workers => workers;

    public async Task RunAsync(CancellationToken ct)
    {
        var running = workers.Select(w => w.RunAsync(ct)).ToList();
        try
        {
            await foreach (var _ in commits.ReadAllAsync(ct))
            {
                while (commits.TryRead(out var _)) { } // a burst of commits needs one push
                PushAll();
            }
        }
        catch (OperationCanceledException) { }
        await Task.WhenAll(running);
    }

    public void PushAll()
    {
        foreach (var worker in workers) worker.Request(RemoteWork.Push);
    }

    /// <summary>`tether poke [REMOTE]`: the remote has changes (or is back): pull it and push to it now.</summary>
    /// <returns>False when no remote has that name.</returns>
    public bool Poke(string? remote)
    {
        var selected = workers.Where(w => remote is null || w.Name == remote).ToList();
        foreach (var worker in selected) worker.Request(RemoteWork.Pull | RemoteWork.Push);
        return selected.Count > 0;
    }

    public IReadOnlyList<RemoteEndpoint> OpenEndpoints() => workers.Select(w => w.Endpoint).OfType<RemoteEndpoint>().ToList();
}
