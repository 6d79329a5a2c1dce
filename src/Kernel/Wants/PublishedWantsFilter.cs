using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Kernel.UploadStrategies;

namespace Tether.Kernel.Wants;

/// <summary>
/// Wraps a strategy so a remote whose repository published (in <see cref="WantsLog"/>) that it does not want a
/// file counts as not wanting it, as if our own config said so; the strategy still decides about relays.
/// Any peer can write wants.log: its globs are bounded (<see cref="WantsLog"/>) and matched in linear time.
/// Thread-safe: one git-annex branch reader under a lock.
/// </summary>
public sealed class PublishedWantsFilter(IUploadTargets inner, AnnexRepository repo, TimeProvider clock, ILogger log) : IUploadTargets
{
    private readonly Lock _lock = new();
    private readonly GitAnnexBranch _branch = new(repo, clock);
    private string? _source;
    private IReadOnlyDictionary<string, WantsLog.Entry> _published = new Dictionary<string, WantsLog.Entry>();

    public IReadOnlyList<string> Choose(Key key, string path, IReadOnlyList<UploadCandidate> remotes)
    {
        var published = Published();
        var filtered = remotes.Select(r => r.Uuid is not null && published.TryGetValue(r.Uuid, out var entry) && !entry.Wants.Wants(path)
            ? r with { Wants = false } : r).ToList();
        return inner.Choose(key, path, filtered);
    }

    private IReadOnlyDictionary<string, WantsLog.Entry> Published()
    {
        lock (_lock)
        {
            var source = _branch.Read(WantsLog.BranchPath);
            if (source != _source) { _published = WantsLog.Current(source, log); _source = source; }
            return _published;
        }
    }

    public void Dispose()
    {
        inner.Dispose();
        _branch.Dispose();
    }
}
