using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.UploadStrategies;

namespace Tether.Kernel.Transfers;

/// <summary>
/// Where an upload without a remote goes: the strategy (<see cref="IUploadTargets"/>: flood, or the minimum-cost tree)
/// picks among the configured remotes, a remote whose uploads are parked counting as unreachable; and where an upload
/// the strategy chose goes instead when it failed.
/// </summary>
public sealed class UploadRouter(AnnexRepository repo, Func<IReadOnlyList<RemoteEndpoint>> endpoints, ParkedUploads parked) : IDisposable
{
    private readonly ConfiguredRemoteUuids _remoteUuids = new(repo);
    private IReadOnlyList<Remote> _remotes = [];

    public IUploadTargets Targets { get; set; } = new FloodUploadTargets();

    /// <summary>The configured remotes (a config reload replaces them).</summary>
    public IReadOnlyList<Remote> Remotes
    {
        get => Volatile.Read(ref _remotes);
        set => Volatile.Write(ref _remotes, value);
    }

    /// <summary>One upload per remote the strategy chooses for a request that names none.</summary>
    public IEnumerable<TransferRequest> Route(TransferRequest request) =>
        Targets.Choose(request.Key, request.File, Candidates(request.File)).Select(remote => request with { Remote = remote });

    /// <summary>The upload to <paramref name="failed"/> failed: the uploads to the reachable remotes the strategy now picks instead.</summary>
    public IEnumerable<TransferRequest> Reroute(TransferRequest request, string failed)
    {
        if (Targets is FloodUploadTargets) return []; // the flood already sent it everywhere
        var candidates = Candidates(request.File);
        return Targets.Choose(request.Key, request.File, candidates)
            .Where(r => r != failed && candidates.Any(c => c.Name == r && c.Reachable))
            .Select(remote => request with { Remote = remote });
    }

    public int CostOf(TransferRequest request) => request.Remote is null
        ? Remotes.Select(r => r.Cost).DefaultIfEmpty(int.MaxValue).Min()
        : Remotes.FirstOrDefault(r => r.Name == request.Remote)?.Cost ?? int.MaxValue;

    public bool IsReachable(string remote) => endpoints().Any(e => e.Name == remote && e.Content is not null);

    private List<UploadCandidate> Candidates(string file)
    {
        var open = endpoints();
        return Remotes.Select(r => UploadCandidate.Of(r, open.FirstOrDefault(e => e.Name == r.Name)?.Uuid ?? _remoteUuids.Get(r.Name),
            !parked.AreWaitingFor(r.Name), file)).ToList();
    }

    public void Dispose() => Targets.Dispose();
}
