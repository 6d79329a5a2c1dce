namespace Tether.Kernel.Transfers;

/// <summary>
/// Uploads that failed and wait for their remote to be reachable again. An upload that fails while its remote
/// still looks reachable gets one more try at once (the remote may have connected while it ran); after that it
/// waits. Parking and releasing share one lock, so a remote that connects while an upload is being parked is never missed.
/// </summary>
public sealed class ParkedUploads
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<TransferRequest>> _waiting = [];
    private readonly HashSet<(TransferDirection, Sdk.Keys.Key, string?)> _triedAgain = [];

    /// <summary>Parks the upload unless it should be tried again at once; returns true in that case.</summary>
    public bool ParkOrRetry(TransferRequest request, string remote, bool remoteReachable)
    {
        lock (_lock)
        {
            if (remoteReachable && _triedAgain.Add(request.Identity)) return true;
            (_waiting.TryGetValue(remote, out var list) ? list : _waiting[remote] = []).Add(request);
            return false;
        }
    }

    /// <summary>The remote is back: its parked uploads, to queue again.</summary>
    public List<TransferRequest> Release(string remote)
    {
        lock (_lock)
        {
            _waiting.Remove(remote, out var waiting);
            foreach (var request in waiting ?? []) _triedAgain.Remove(request.Identity);
            return waiting ?? [];
        }
    }

    /// <summary>True while uploads wait for the remote (the strategy then treats it as unreachable).</summary>
    public bool AreWaitingFor(string remote)
    {
        lock (_lock) return _waiting.ContainsKey(remote);
    }
}
