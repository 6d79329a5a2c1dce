using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.UploadStrategies;
using Tether.Sdk.Keys;

namespace Tether.Kernel.TransferPoints;

/// <summary>
/// Wraps a strategy so a transfer point (a cloud remote in git-annex's <c>transfer</c> group) wants a key only while
/// <see cref="TransferPointPolicy.Needed"/> (a node that wants it lacks it and is not reached directly by this same
/// upload, or fewer than two nodes have it); otherwise the bucket would grow for ever. Thread-safe: one git-annex branch reader under a lock.
/// </summary>
public sealed class TransferPointFilter(IUploadTargets inner, AnnexRepository repo, TimeProvider clock) : IUploadTargets
{
    private readonly Lock _lock = new();
    private readonly GitAnnexBranch _branch = new(repo, clock);
    private readonly string _ourUuid = repo.RequireUuid();

    public IReadOnlyList<string> Choose(Key key, string path, IReadOnlyList<UploadCandidate> remotes)
    {
        TransferPointPolicy policy;
        IReadOnlySet<string> present;
        lock (_lock)
        {
            policy = TransferPointPolicy.Read(_branch, _ourUuid);
            if (!policy.HasTransferPoints || !remotes.Any(r => policy.IsTransferPoint(r.Uuid))) return inner.Choose(key, path, remotes);
            present = _branch.PresentUuids(key);
        }
        var direct = remotes.Where(r => r.Reachable && r.Wants && r.Uuid is not null && !policy.IsTransferPoint(r.Uuid))
            .Select(r => r.Uuid!).ToHashSet(StringComparer.Ordinal);
        var needed = policy.Needed(path, present, direct);
        return inner.Choose(key, path, remotes.Select(r => policy.IsTransferPoint(r.Uuid) ? r with { Wants = r.Wants && needed } : r).ToList());
    }

    public void Dispose()
    {
        inner.Dispose();
        _branch.Dispose();
    }
}
