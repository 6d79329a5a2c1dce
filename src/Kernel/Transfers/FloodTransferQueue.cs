using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Events;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Sync;

namespace Tether.Kernel.Transfers;

/// <summary>
/// The first transfer queue: one transfer at a time, cheapest remote first; an upload without a remote goes
/// to every remote (flood). When the queue runs dry, the location log changes are committed and pushed.
/// </summary>
public sealed class FloodTransferQueue(
    AnnexRepository repo,
    Func<IReadOnlyList<RemoteEndpoint>> endpoints,
    Func<CancellationToken, Task> locationsChanged,
    EventBus events,
    TimeProvider clock,
    ILogger log) : ITransferQueue
{
    private readonly Channel<TransferRequest> _requests = Channel.CreateUnbounded<TransferRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<TransferRequest> _queued = [];
    private readonly Lock _lock = new();
    private TransferRequest? _running;

    public void Enqueue(TransferRequest request)
    {
        lock (_lock)
            if (!_queued.Add(request)) return;
        _requests.Writer.TryWrite(request);
    }

    public IReadOnlyList<TransferStatus> Snapshot()
    {
        lock (_lock)
            return _queued.Select(r => new TransferStatus(r.Direction.ToString().ToLowerInvariant(), r.Key.ToString(), r.File, r.Remote ?? "*", r == _running)).ToList();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var ourUuid = repo.RequireUuid();
        while (await WaitAsync(ct))
        {
            var moved = false;
            using (var branch = new GitAnnexBranch(repo, clock))
            {
                var transfers = new ContentTransfers(repo, branch, ourUuid, log);
                while (!ct.IsCancellationRequested && _requests.Reader.TryRead(out var request))
                {
                    lock (_lock) _running = request;
                    try { moved |= await RunOneAsync(transfers, request, ct); }
                    finally { lock (_lock) { _queued.Remove(request); _running = null; } }
                }
                if (moved) await branch.CommitAsync("update", CancellationToken.None);
            }
            if (moved) await locationsChanged(ct);
        }
    }

    private async Task<bool> WaitAsync(CancellationToken ct)
    {
        try { return await _requests.Reader.WaitToReadAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    private async Task<bool> RunOneAsync(ContentTransfers transfers, TransferRequest request, CancellationToken ct)
    {
        var usable = endpoints().Where(e => e.Content is not null && e.Uuid is not null && (request.Remote is null || e.Name == request.Remote))
            .OrderBy(e => e.Remote.Cost).ToList();
        if (request.Direction == TransferDirection.Download)
            return await AttemptAsync(request, "any", () => transfers.DownloadAsync(request.Key, usable, ct));
        var moved = false;
        foreach (var endpoint in usable)
            moved |= await AttemptAsync(request, endpoint.Name, () => transfers.UploadAsync(request.Key, endpoint, ct));
        return moved;
    }

    private async Task<bool> AttemptAsync(TransferRequest request, string remote, Func<Task<bool>> transfer)
    {
        var direction = request.Direction.ToString().ToLowerInvariant();
        try
        {
            var done = await transfer();
            if (done) events.Publish(new TransferEvent(clock.GetUtcNow(), direction, "finished", request.Key.ToString(), request.File, remote, request.Key.Size ?? 0, null));
            return done;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            log.LogWarning("{Direction} of {File} via {Remote} failed: {Error}", direction, request.File, remote, e.Message);
            events.Publish(new TransferEvent(clock.GetUtcNow(), direction, "failed", request.Key.ToString(), request.File, remote, 0, e.Message));
            return false;
        }
        catch (OperationCanceledException) { return false; }
    }
}
