using Microsoft.Extensions.Logging;
using Tether.Kernel.Committing;
using Tether.Kernel.Configuration;
using Tether.Kernel.Daemon;
using Tether.Kernel.Events;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.History;

/// <summary>
/// Commits what a history command changed in the work tree (a restore, a resolve), as any edit is committed, so it syncs.
/// While a daemon runs it is left to the daemon's watcher (one committer at a time); the change and commit events are
/// raised here otherwise, as the daemon raises them.
/// </summary>
public sealed class HistoryCommit(AnnexRepository repo, TetherConfig config, string description, EventBus? events, TimeProvider clock, ILogger log)
{
    /// <summary>The commit made; null when nothing changed or a daemon commits it.</summary>
    public async Task<CommitResult?> CommitAsync(IReadOnlyCollection<string> paths, CancellationToken ct)
    {
        if (DaemonLock.RunningPid(repo) is not null) return null;
        var committer = new WorkTreeCommitter(repo, config.Annex.LargeFiles.IsLarge, description, clock, log)
        {
            Unlocked = config.Annex.Unlocked,
            IgnoreRules = config.Ignore,
        };
        var result = await committer.CommitPendingAsync(paths, ct);
        if (result is not null && events is not null)
        {
            var now = clock.GetUtcNow();
            events.Publish(new ChangeEvent(now, result));
            events.Publish(new CommitEvent(now, result.CommitId, result.Summary()));
        }
        return result;
    }

    public bool DaemonCommits => DaemonLock.RunningPid(repo) is not null;
}
