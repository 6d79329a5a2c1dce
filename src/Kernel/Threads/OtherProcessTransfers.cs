using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Transfers.Records;
using Tether.Kernel.Transfers;

namespace Tether.Kernel.Threads;

/// <summary>
/// The transfers other processes run in this repository (`tether get`, `tether sync`, git-annex), read from
/// their transfer records whenever the record watcher says something changed (no polling), for `tether status`.
/// Dead records (no lock held: the process died) are moved to failed/ at start and whenever records change.
/// </summary>
public sealed class OtherProcessTransfers(AnnexRepository repo, Func<string, string> remoteNameOf, TimeProvider clock, ILogger log)
{
    private readonly TransferRecordStore _records = new(repo, clock, log);
    private volatile IReadOnlyList<TransferStatus> _current = [];
    private Dictionary<string, TransferRate> _rates = [];

    public IReadOnlyList<TransferStatus> Current => _current;

    public async Task RunAsync(CancellationToken ct)
    {
        using var watcher = new TransferRecordWatcher(repo);
        Refresh(recoverDead: true);
        try
        {
            while (await watcher.Signals.WaitToReadAsync(ct))
            {
                while (watcher.Signals.TryRead(out _)) { }
                Refresh(recoverDead: false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Refresh(bool recoverDead)
    {
        try
        {
            if (recoverDead && _records.RecoverDead() is var dead and > 0) log.LogInformation("Recorded {Count} dead transfer(s) as failed", dead);
            var rates = new Dictionary<string, TransferRate>();
            _current = _records.List().Where(s => s.Running && s.Pid != Environment.ProcessId).Select(s => StatusOf(s, rates)).ToList();
            _rates = rates;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TransferRecordFormatException)
        {
            log.LogWarning("Reading transfer records failed: {Error}", e.Message);
        }
    }

    /// <summary>The rate over the recent records' progress (a moving window kept per transfer between refreshes), not since its start.</summary>
    private TransferStatus StatusOf(TransferState s, Dictionary<string, TransferRate> rates)
    {
        var bytes = s.Info.BytesDone ?? 0;
        var id = new TransferRequest(s.Id.Direction, s.Id.Key, "", s.Id.RemoteUuid).Id;
        var rate = rates[id] = _rates.GetValueOrDefault(id) ?? new TransferRate(clock);
        rate.Observe(bytes);
        var perSecond = rate.BytesPerSecond();
        return new TransferStatus(id, s.Id.DirectionName, s.Id.Key.ToString(),
            s.Info.AssociatedFile ?? s.Id.Key.ToString(), remoteNameOf(s.Id.RemoteUuid), Running: true, bytes, s.Id.Key.Size,
            perSecond, s.Pid is { } pid ? $"pid {pid}" : "another process", TransferStatus.RunningState, TransferRate.EtaSeconds(bytes, s.Id.Key.Size, perSecond));
    }
}
