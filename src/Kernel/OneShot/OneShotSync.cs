using LibGit2SharpException = LibGit2Sharp.LibGit2SharpException;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Backends;
using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Kernel.Committing;
using Tether.Kernel.Topology;
using Tether.Kernel.UploadStrategies;

namespace Tether.Kernel.OneShot;

/// <summary>
/// `tether sync`: commit local changes, pull and merge every remote, push to every remote, then flood
/// content (every key we have to every remote lacking it; every key we lack from a remote that has it).
/// One remote failing never stops the others; failures are reported per remote.
/// </summary>
public sealed class OneShotSync(
    AnnexRepository repo, SyncSettings settings, IReadOnlyList<Remote> remotes, BackendRegistry backends, TimeProvider clock, ILogger log)
{
    /// <summary>Shown each content transfer (progress bars); none by default.</summary>
    public ITransferObserver? Observer { get; init; }

    /// <summary>Where the sync raises the daemon's events (change, commit, receive, conflict, push, transfer) for hooks; none by default.</summary>
    public Events.EventBus? Events { get; init; }

    public async Task<SyncReport> RunAsync(CancellationToken ct)
    {
        var report = new SyncReport();
        var ourUuid = repo.RequireUuid();
        await Repositories.StaleGitLocks.RemoveAsync(repo, clock, log, ct);
        var committer = new WorkTreeCommitter(repo, settings.IsLarge, settings.Description, clock, log) { Unlocked = settings.Unlocked, IgnoreRules = settings.Ignore };
        report.LocalCommit = await committer.CommitPendingAsync(null, ct);
        if (report.LocalCommit is { } local)
        {
            Publish(new Events.ChangeEvent(clock.GetUtcNow(), local));
            Publish(new Events.CommitEvent(clock.GetUtcNow(), local.CommitId, local.Summary()));
        }
        report.Deferred = committer.Deferred.ToList();
        using (var branch = new GitAnnexBranch(repo, clock)) branch.EnsureExists();
        log.LogDebug("Local changes committed: {Commit}", report.LocalCommit?.CommitId ?? "none");

        var gitSync = new GitRemoteSync(repo, new GitTransport(repo), new BranchMerger(repo, clock, log), clock, log);
        var factory = new RemoteEndpointFactory(repo, backends, clock);
        var endpoints = await factory.OpenAllAsync(remotes, ct);
        foreach (var endpoint in endpoints)
            await PullAsync(endpoint, gitSync, report, ct);
        log.LogDebug("Pulled");
        var pushedIn = await gitSync.MergeReceivedAsync(ct);
        report.Merges.AddRange(pushedIn);
        PublishReceived(null, pushedIn);
        gitSync.UpdateSyncedBranch();
        log.LogDebug("Merged what was received");
        foreach (var endpoint in endpoints.Where(e => e.GitReachable))
        {
            await AttemptAsync(endpoint, report, "push", async () => { await gitSync.PushAsync(endpoint, IsBare(endpoint), ct); report.Remotes[endpoint.Name].Pushed = true; });
            Publish(new Events.PushEvent(clock.GetUtcNow(), endpoint.Name, report.Remotes[endpoint.Name].Pushed,
                report.Remotes[endpoint.Name].Pushed ? null : report.Remotes[endpoint.Name].Errors.LastOrDefault()));
        }
        var annexTipPushed = AnnexTip();
        log.LogDebug("Pulled, merged and pushed; waiting for the remotes' own UUID reports");

        // The remotes' UUID reports were asked for while we fetched; the topology log and content need them.
        await factory.ConfirmAllAsync(endpoints);
        await new TopologyRecorder(repo, clock).RecordReachedAndCommitAsync(endpoints.Where(e => e.GitReachable), settings.Wants, ct);
        log.LogDebug("Remote UUIDs confirmed, topology recorded");
        if (settings.Content) await MoveContentAsync(endpoints, ourUuid, report, ct);
        using (var branch = new GitAnnexBranch(repo, clock)) await branch.CommitAsync("update", ct);
        if (AnnexTip() != annexTipPushed) // topology and location logs written since the push
            foreach (var endpoint in endpoints.Where(e => e.GitReachable))
                await AttemptAsync(endpoint, report, "push git-annex", () => gitSync.PushAnnexBranchAsync(endpoint, IsBare(endpoint), ct));
        foreach (var endpoint in endpoints)
        {
            report.Remotes[endpoint.Name].Errors.AddRange(endpoint.Errors);
            report.Remotes[endpoint.Name].Errors = SyncErrors.Collapse(report.Remotes[endpoint.Name].Errors);
            if (endpoint.Content is not null) await endpoint.Content.DisposeAsync();
        }
        log.LogDebug("Sync done");
        return report;
    }

    private async Task PullAsync(RemoteEndpoint endpoint, GitRemoteSync gitSync, SyncReport report, CancellationToken ct)
    {
        report.Remotes[endpoint.Name] = new RemoteReport { ContentOnly = !endpoint.HasGit && !ContentRemoteGit.ContentRemoteGitSync.Carries(endpoint) };
        if (endpoint.Content is null) return; // could not be opened; its error is in endpoint.Errors
        try
        {
            var merges = await gitSync.PullAsync(endpoint, ct);
            report.Merges.AddRange(merges);
            PublishReceived(endpoint.Name, merges);
            endpoint.GitReachable = true;
            report.Remotes[endpoint.Name].Pulled = true;
        }
        catch (Exception e) when (IsRemoteFailure(e))
        {
            Fail(endpoint, report, "pull", e);
        }
    }

    private async Task MoveContentAsync(List<RemoteEndpoint> endpoints, string ourUuid, SyncReport report, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock, log);
        var transfers = new ContentTransfers(repo, branch, ourUuid, clock, log);
        var store = new ObjectStore(repo);
        var usable = endpoints.Where(e => e.GitReachable && e.Content is not null && e.Uuid is not null).OrderBy(e => e.Remote.Cost).ToList();
        using var targets = UploadTargets.For(settings.Strategy, repo, clock, log);
        foreach (var (path, key) in KeysInHead())
        {
            ct.ThrowIfCancellationRequested();
            if (store.Contains(key))
            {
                var chosen = targets.Choose(key, path, endpoints.Select(e => UploadCandidate.Of(e.Remote, e.Uuid, usable.Contains(e), path)).ToList());
                foreach (var endpoint in usable.Where(e => chosen.Contains(e.Name)))
                    await AttemptAsync(endpoint, report, $"upload of {path}", async () =>
                    {
                        var needed = !branch.PresentUuids(key).Contains(endpoint.Uuid!); // else no transfer: no events
                        using var progress = Observe(TransferDirection.Upload, key, path, endpoint.Name);
                        if (needed) PublishTransfer(TransferDirection.Upload, "started", key, path, endpoint.Name, true);
                        var sent = await transfers.UploadAsync(key, endpoint, ct, progress, path);
                        progress?.Finish(sent);
                        if (needed) PublishTransfer(TransferDirection.Upload, sent ? "finished" : "failed", key, path, endpoint.Name, sent);
                        if (sent) report.Uploaded++;
                    });
                if (store.Contains(key)) continue; // else it failed its check before an upload and was quarantined: fetched again
            }
            if (!settings.Wants.Wants(path)) continue;
            var holders = branch.PresentUuids(key);
            var from = usable.FirstOrDefault(e => holders.Contains(e.Uuid!))?.Name ?? "a remote that has it"; // the cheapest, tried first
            using var download = Observe(TransferDirection.Download, key, path, from);
            PublishTransfer(TransferDirection.Download, "started", key, path, "any", true);
            var got = await transfers.DownloadAsync(key, usable, ct, download, path);
            download?.Finish(got);
            PublishTransfer(TransferDirection.Download, got ? "finished" : "failed", key, path, "any", got);
            if (got) report.Downloaded++;
            else report.MissingContent.Add(path);
        }
        report.Busy = transfers.Busy;
        await branch.CommitAsync("update", ct);
    }

    private void Publish(Events.SyncEvent e) => Events?.Publish(e);

    /// <summary>As the daemon's relay: a receive event for merges that changed our branch, and a conflict event for their conflicts.</summary>
    private void PublishReceived(string? remote, IReadOnlyList<MergeOutcome> merges)
    {
        if (!merges.Any(m => m.Changed)) return;
        var now = clock.GetUtcNow();
        Publish(new Events.ReceiveEvent(now, remote, merges.Where(m => m.Changed).ToList()));
        var conflicts = merges.SelectMany(m => m.Conflicts).ToList();
        if (conflicts.Count > 0) Publish(new Events.ConflictEvent(now, conflicts));
    }

    private void PublishTransfer(TransferDirection direction, string phase, Sdk.Keys.Key key, string path, string remote, bool ok) =>
        Publish(new Events.TransferEvent(clock.GetUtcNow(), direction.ToString().ToLowerInvariant(), phase, key.ToString(), path, remote,
            phase == "started" || !ok ? 0 : key.Size ?? 0, ok ? null : $"{direction.ToString().ToLowerInvariant()} failed"));

    private string? AnnexTip()
    {
        using var branch = new GitAnnexBranch(repo, clock);
        return branch.TipId;
    }

    private ITransferProgress? Observe(TransferDirection direction, Sdk.Keys.Key key, string path, string remote) =>
        Observer?.Begin(new TransferRequest(direction, key, path, remote), remote);

    private List<(string Path, Sdk.Keys.Key Key)> KeysInHead()
    {
        using var git = repo.OpenGit();
        return AnnexedFiles.InTree(git.Head.Tip?.Tree).DistinctBy(e => e.Key).Select(e => (e.Path, e.Key)).ToList();
    }

    private static bool IsBare(RemoteEndpoint endpoint) =>
        endpoint.HasGit && endpoint.Remote.IsLocalPath && AnnexRepository.OpenExact(endpoint.Remote.LocalPath).IsBare;

    private async Task AttemptAsync(RemoteEndpoint endpoint, SyncReport report, string step, Func<Task> action)
    {
        try { await action(); }
        catch (Exception e) when (IsRemoteFailure(e)) { Fail(endpoint, report, step, e); }
    }

    private void Fail(RemoteEndpoint endpoint, SyncReport report, string step, Exception e)
    {
        var message = $"{step} failed: {e.Message}";
        report.Remotes[endpoint.Name].Errors.Add(message);
        log.LogDebug("{Remote}: {Message}", endpoint.Name, message); // the report says it, once
    }

    private static bool IsRemoteFailure(Exception e) =>
        e is LibGit2SharpException or IOException or UnauthorizedAccessException or InvalidOperationException or PushRejectedException;
}
