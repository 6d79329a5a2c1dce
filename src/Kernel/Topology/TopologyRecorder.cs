using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;
using Tether.Kernel.Remotes;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Topology;

/// <summary>
/// Writes this repository's lines of <see cref="TopologyLog"/> when a remote was reached. To keep the
/// git-annex branch from growing with every push, a line is rewritten only when the remote's name, backend
/// or cost changed, or when its last contact is older than <see cref="RefreshInterval"/>.
/// </summary>
public sealed class TopologyRecorder(AnnexRepository repo, TimeProvider clock)
{
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(10);

    public TimeSpan RefreshInterval { get; init; } = DefaultRefreshInterval;

    /// <summary>Records the remotes as reached now (in the journal). Returns true when anything was written.</summary>
    public async Task<bool> RecordReachedAsync(IEnumerable<RemoteEndpoint> reached, CancellationToken ct)
    {
        var ourUuid = repo.RequireUuid();
        var now = clock.GetUtcNow();
        var written = false;
        using var branch = new GitAnnexBranch(repo, clock);
        foreach (var endpoint in reached.Where(e => e.Uuid is not null && e.Uuid != ourUuid))
        {
            var previous = TopologyLog.Current(branch.Read(TopologyLog.BranchPath))
                .FirstOrDefault(r => r.RepoUuid == ourUuid && r.RemoteUuid == endpoint.Uuid);
            var record = new TopologyRecord(ourUuid, endpoint.Uuid!, SafeName(endpoint.Name), SafeName(endpoint.Remote.Backend),
                endpoint.Remote.Cost, now, AnnexTimestamp.NowAfter(clock, previous is null ? [] : [previous.Time]));
            if (previous is not null && IsFresh(previous, record)) continue;
            await branch.ChangeAsync(TopologyLog.BranchPath, old => TopologyLog.With(old, record), ct);
            written = true;
        }
        return written;
    }

    /// <summary>Publishes what this repository wants (in the journal), when it changed. Returns true when written.</summary>
    public async Task<bool> RecordWantsAsync(WantedContent wants, CancellationToken ct)
    {
        var ourUuid = repo.RequireUuid();
        using var branch = new GitAnnexBranch(repo, clock);
        var previous = WantsLog.Current(branch.Read(WantsLog.BranchPath)).GetValueOrDefault(ourUuid);
        if (previous?.Wants.ToString() == wants.ToString() || (previous is null && wants.IsAll)) return false;
        var time = AnnexTimestamp.NowAfter(clock, previous is null ? [] : [previous.Time]);
        await branch.ChangeAsync(WantsLog.BranchPath, old => WantsLog.With(old, new WantsLog.Entry(ourUuid, wants, time)), ct);
        return true;
    }

    /// <summary>Records the remotes as reached and what we want, and commits the git-annex branch, so the next push carries it.</summary>
    public async Task RecordReachedAndCommitAsync(IEnumerable<RemoteEndpoint> reached, WantedContent wants, CancellationToken ct)
    {
        var wantsChanged = await RecordWantsAsync(wants, ct);
        if (!await RecordReachedAsync(reached, ct) && !wantsChanged) return;
        using var branch = new GitAnnexBranch(repo, clock);
        await branch.CommitAsync("update", ct);
    }

    /// <summary>Marks our link to the remote of this name as removed, and commits the git-annex branch.</summary>
    public async Task RecordRemovedAsync(string remoteName, CancellationToken ct)
    {
        var ourUuid = repo.RequireUuid();
        using var branch = new GitAnnexBranch(repo, clock);
        var name = SafeName(remoteName);
        var ours = TopologyLog.Current(branch.Read(TopologyLog.BranchPath)).Where(r => r.RepoUuid == ourUuid && r.RemoteName == name && !r.Removed).ToList();
        foreach (var link in ours)
            await branch.ChangeAsync(TopologyLog.BranchPath,
                old => TopologyLog.With(old, link with { Removed = true, Time = AnnexTimestamp.NowAfter(clock, [link.Time]) }), ct);
        if (ours.Count > 0) await branch.CommitAsync("update", ct);
    }

    private bool IsFresh(TopologyRecord previous, TopologyRecord next) =>
        !previous.Removed && previous.RemoteName == next.RemoteName && previous.Backend == next.Backend && previous.Cost == next.Cost
        && next.LastReached - previous.LastReached < RefreshInterval;

    private static string SafeName(string name) =>
        string.Concat(name.Select(c => char.IsWhiteSpace(c) || c == '=' ? '_' : c));
}
