using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Coordination;
using Tether.Kernel.Events;
using Tether.Kernel.Repositories;
using Tether.Kernel.Remotes;
using Tether.Kernel.Transfers;

namespace Tether.Kernel.Threads;

/// <summary>
/// The transfer slots (git-annex's Transferrer thread): each slot takes the next request from the
/// <see cref="TransferQueue"/>, moves the content through the cheapest open endpoint, and hands the outcome to
/// <see cref="ITransferSettlement"/>. A slot with nothing to do waits for the queue's doorbell.
/// </summary>
public sealed class Transferrer(AnnexRepository repo, TransferQueue queue, Doorbell work, Func<IReadOnlyList<RemoteEndpoint>> endpoints,
    ITransferSettlement settlement, EventBus events, TimeProvider clock, ILogger log)
{
    private const string UnavailablePrefix = "unavailable: ";

    /// <summary>The reason given to <see cref="RunningTransfer.Interrupt"/> when the remote went away.</summary>
    public static string UnavailableReason(string why) => UnavailablePrefix + why;

    public Task RunAsync(int slots, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, slots).Select(_ => Task.Run(() => SlotAsync(ct), CancellationToken.None)));

    private async Task SlotAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (queue.TryStart(request => Start(request, ct)) is { } running)
            {
                using (running) settlement.Settle(await RunGuardedAsync(running, ct));
                continue;
            }
            await settlement.IdleAsync(ct);
            if (!await work.WaitAsync(ct)) return;
        }
    }

    private RunningTransfer Start(TransferRequest request, CancellationToken ct) =>
        new(request, request.Remote ?? "any", clock, r => Publish(r, "started", null), ct);

    /// <summary>Whatever goes wrong in one transfer is its failure, never the slot's end.</summary>
    private async Task<SettledTransfer> RunGuardedAsync(RunningTransfer running, CancellationToken ct)
    {
        try
        {
            return await RunOneAsync(running, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError(e, "{Direction} of {File} via {Remote} failed unexpectedly", running.Request.Direction, running.Request.File, running.Remote);
            return new(running, TransferOutcome.Failed, e.Message);
        }
        catch (Exception)
        {
            return new(running, TransferOutcome.Stopped, null);
        }
    }

    private async Task<SettledTransfer> RunOneAsync(RunningTransfer running, CancellationToken ct)
    {
        var request = running.Request;
        var open = endpoints().Where(e => e.Content is not null && e.Uuid is not null && (request.Remote is null || e.Name == request.Remote))
            .OrderBy(e => e.Remote.Cost).ToList();
        try
        {
            return await MoveAsync(running, open);
        }
        catch (Exception e) when (running.InterruptedFor is { } why && why.StartsWith(UnavailablePrefix, StringComparison.Ordinal) && !ct.IsCancellationRequested
            && e is OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            var error = $"{running.Remote} became unavailable ({why[UnavailablePrefix.Length..]})";
            log.LogWarning("{Direction} of {File} via {Remote} stopped: {Error}; resumed when it is back", request.Direction, request.File, running.Remote, error);
            return new(running, TransferOutcome.Failed, error);
        }
        catch (OperationCanceledException) when (running.InterruptedFor is not null && !ct.IsCancellationRequested)
        {
            return new(running, running.InterruptedFor == RunningTransfer.PauseReason ? TransferOutcome.Paused : TransferOutcome.Cancelled, null);
        }
        catch (OperationCanceledException)
        {
            return new(running, TransferOutcome.Stopped, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            log.LogWarning("{Direction} of {File} via {Remote} failed: {Error}", request.Direction, request.File, running.Remote, e.Message);
            return new(running, TransferOutcome.Failed, e.Message);
        }
    }

    private async Task<SettledTransfer> MoveAsync(RunningTransfer running, List<RemoteEndpoint> open)
    {
        var request = running.Request;
        using var branch = new GitAnnexBranch(repo, clock);
        var transfers = new ContentTransfers(repo, branch, repo.RequireUuid(), clock, log);
        bool moved;
        try
        {
            moved = request.Direction == TransferDirection.Upload
                ? open.Count > 0 && await transfers.UploadAsync(request.Key, open[0], running.Token, running, request.File)
                : await transfers.DownloadAsync(request.Key, open, running.Token, running, request.File);
        }
        catch (Annex.CorruptObjectException e)
        {
            var sources = endpoints().Where(r => r.Content is not null && r.Uuid is not null).OrderBy(r => r.Remote.Cost).ToList();
            var refetched = await transfers.DownloadAsync(request.Key, sources, running.Token, null, request.File);
            return new(running, TransferOutcome.Failed, refetched ? $"{e.Message} (done)" : e.Message);
        }
        if (moved) settlement.Moved();
        if (moved || AlreadyHere(request)) return new(running, TransferOutcome.Finished, null);
        if (transfers.Busy > 0) return new(running, TransferOutcome.Busy, null);
        return new(running, TransferOutcome.Failed,
            open.Count == 0 ? $"remote {request.Remote ?? "(any)"} is not reachable now" : "no reachable remote has the content");
    }

    private bool AlreadyHere(TransferRequest request) =>
        request.Direction == TransferDirection.Download && new Annex.ObjectStore(repo).Contains(request.Key);

    /// <summary>Raises a transfer event for the hooks and the status (phase: started, finished, failed, cancelled).</summary>
    public void Publish(RunningTransfer running, string phase, string? error) =>
        events.Publish(new TransferEvent(clock.GetUtcNow(), running.Request.Direction.ToString().ToLowerInvariant(), phase,
            running.Request.Key.ToString(), running.Request.File, running.Remote, running.Bytes, error));
}
