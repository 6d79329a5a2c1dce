using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Coordination;
using Tether.Kernel.Backends;
using Tether.Kernel.Committing;
using Tether.Kernel.Control;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Hooks;
using Tether.Kernel.Merging;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Transfers;
using Tether.Kernel.Triggers;
using Tether.Kernel.Watching;
using Tether.Kernel.Threads;
using Tether.Kernel.Remotes;

namespace Tether.Kernel.Daemon;

/// <summary>
/// `tether watch`: wires the daemon's threads together and runs them until stopped.
/// <code>
/// Watcher ─changes─▶ Committer ─commits─▶ Pusher ─▶ RemoteWorker × N (push, pull, retry)
///                              └─commits─▶ TransferScanner ─requests─▶ TransferQueue
/// ReceivedRefsWatcher ─▶ Merger ─arrivals─▶ Relay ─▶ Pusher (push on) + TransferScanner (downloads)
///                 RemoteWorker ─arrivals─┘ (pulled merges, remote reached: parked uploads, rescans)
/// ControlServer ◀── tether status / poke / stop          EventBus ──▶ hooks, logs
/// TriggerHost (interval, plugins: usb) ─▶ SyncRequestRouter ─▶ Pusher (poke, workers at a drive's mount path) + TransferScheduler
/// </code>
/// </summary>
public sealed class AssistantDaemon(
    AnnexRepository repo,
    DaemonSettings settings,
    BackendRegistry backends,
    EventBus events,
    TimeProvider clock,
    ILoggerFactory loggers,
    Func<DaemonSettings>? reloadSettings = null)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _reloading = new();
    private volatile DaemonSettings _current = settings;

    public DaemonStatus Status { get; } = new(repo.DisplayPath, clock);

    /// <summary>Completes once the watcher is watching and the control socket is up.</summary>
    public Task Ready => _ready.Task;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Trigger types from plugins (the built-in interval trigger is always there).</summary>
    public IReadOnlyList<Sdk.Triggers.ISyncTriggerFactory> TriggerFactories { get; init; } = [];

    public void Stop() => _stop.Cancel();

    /// <summary>The last hook runs, newest first (the dashboard's hooks page).</summary>
    public HookRunHistory HookRuns { get; } = new();

    /// <summary>The hooks from the config, as the runner parsed them; empty until the daemon runs.</summary>
    public IReadOnlyList<HookDefinition> Hooks { get; private set; } = [];

    /// <summary>Where the drop-in hooks are looked for (.tether/hooks).</summary>
    public string HookDropInRoot => DropInHooks.RootFor(repo.WorkTree ?? repo.GitDir);

    /// <summary>
    /// Answers a control request in this process, exactly as the control socket does (`tether transfers pause` and the
    /// dashboard are one code path); before the daemon is ready, a refusal.
    /// </summary>
    public ControlResponse Control(ControlRequest request) =>
        _handle is { } handle ? handle(request) : new ControlResponse(false, "the daemon is still starting");

    private volatile Func<ControlRequest, ControlResponse>? _handle;

    public async Task RunAsync(CancellationToken ct)
    {
        var settings = _current; // what it starts with; a reload swaps _current and restarts what changed
        using var daemonLock = DaemonLock.Acquire(repo);
        var socketPath = ControlSocketPath.For(repo); // refuses a per-user folder another user made before anything starts
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var stop = linked.Token;
        var log = loggers.CreateLogger("daemon");
        await StaleGitLocks.RemoveAsync(repo, clock, log, stop);
        new Annex.StaleTmpFiles(repo, new Transfers.Records.TransferRecordStore(repo, clock, log), log).Clean();
        Native.NativeMemory.LimitArenas();
        using var gate = new RepositoryGate();

        var changes = Channel.CreateBounded<WorkTreeChange>(new BoundedChannelOptions(65_536) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var toPusher = Channel.CreateUnbounded<CommitResult>(new UnboundedChannelOptions { SingleReader = true });
        var toScanner = Channel.CreateUnbounded<CommitResult>(new UnboundedChannelOptions { SingleReader = true });

        var presence = new WorkTreePresence(repo);
        var workTree = new WorkTreeCommitter(repo, (path, size) => _current.IsLarge(path, size), settings.Description, clock, loggers.CreateLogger("committer"))
        {
            WorkTreeProblem = presence.Problem,
            Unlocked = settings.Unlocked,
            IgnoreRules = settings.Ignore,
        };
        var pause = new SyncPause();
        var committer = new Committer(changes.Reader, workTree, gate, settings.Timing, [toPusher.Writer, toScanner.Writer], events, Status, clock,
            loggers.CreateLogger("committer"), pause, settings.DeletionGuard);

        // Remotes a trigger watches (drives) wait for it to find them; the others are reachable at their url.
        var availability = new RemoteAvailability(settings.Remotes);
        var triggers = new TriggerHost([new IntervalTriggerFactory(clock), .. TriggerFactories], availability, repo.WorkTree ?? repo.GitDir, events, clock, loggers);
        var triggerPlan = triggers.Plan(settings.Triggers, settings.Remotes, settings.ConfigPath);
        foreach (var name in triggerPlan.Watched)
            if (availability.UnavailableReason(name) is { } why) Status.UpdateRemote(name, s => s with { Unavailable = why });

        var arrivals = Channel.CreateUnbounded<Threads.Arrival>(new UnboundedChannelOptions { SingleReader = true });
        var merger = new BranchMerger(repo, clock, loggers.CreateLogger("merger"));
        var gitSync = new GitRemoteSync(repo, new GitTransport(repo), merger, clock, loggers.CreateLogger("pusher"), gate)
        {
            BeforeMerge = committer.CommitAllHoldingGateAsync,
        };
        var endpointFactory = new RemoteEndpointFactory(repo, backends, clock, loggers.CreateLogger("backends"));
        var pusher = new Pusher(toPusher.Reader, r => new RemoteWorker(r, repo, endpointFactory, gitSync, _current.PushRetryInterval,
            arrivals.Writer, events, Status, clock, loggers.CreateLogger($"remote.{r.Name}"))
        {
            AnnouncesConnection = !availability.IsWatched(r.Name), // a drive's arrival is announced by the router, with where it is
            ConnectReason = availability.ConnectReason(r.Name),
            Pause = pause,
            ListensForChanges = settings.ListenForChanges,
            PullInterval = () => r.IsLocalPath && !r.GitBundles || availability.IsWatched(r.Name) ? TimeSpan.Zero : _current.PullInterval,
        });
        using var transfers = new TransferScheduler(repo, availability.All(), pusher.OpenEndpoints,
            _ => { pusher.PushAll(); return Task.CompletedTask; }, events, settings.TransferSlots, clock, loggers.CreateLogger("transfers"))
        { UploadTargets = UploadStrategies.UploadTargets.For(settings.Strategy, repo, clock, loggers.CreateLogger("transfers")) };
        await new Topology.TopologyRecorder(repo, clock).RecordWantsAsync(settings.Wants, stop);
        var scanner = new TransferScanner(repo, transfers) { Wants = settings.Wants };
        var others = new OtherProcessTransfers(repo, uuid => pusher.OpenEndpoints().FirstOrDefault(e => e.Uuid == uuid)?.Name ?? uuid, clock, loggers.CreateLogger("transfers"));
        Status.ShowTransfersFrom(() => [.. transfers.Snapshot(), .. others.Current]);
        Status.ShowTransferProblemsFrom(transfers.Problems);
        var underReplicated = new Content.UnderReplicated(repo, () => _current.NumCopies, clock);
        Status.ShowBelowNumcopiesFrom(() =>
        {
            try { return underReplicated.Current(); }
            catch (Exception e) when (e is IOException or LibGit2Sharp.LibGit2SharpException or InvalidOperationException) { return ([], 0); } // shown at the next status
        });
        Status.ShowTransfersPausedFrom(() => transfers.IsPaused);
        var relay = new Threads.Relay(arrivals.Reader, pusher, transfers, scanner, availability, events, clock, loggers.CreateLogger("relay"));

        var router = new SyncRequestRouter(availability, pusher, transfers, events, Status, clock, loggers.CreateLogger("triggers"));
        var receivedMerger = new Merger(repo, merger, gate, committer.CommitAllHoldingGateAsync, arrivals.Writer, clock, loggers.CreateLogger("merger"), pause);
        pause.Resumed += () => { pusher.Poke(null); receivedMerger.RefsChanged(); };

        using var watcher = new WorkTreeWatcher(repo.WorkTree!, changes.Writer, loggers.CreateLogger("watcher"),
            new WatcherOptions { DegradedChanged = message => Status.SetWarning("watcher", message), RootMayHaveChanged = presence.LookAgain });
        // Hooks: user commands on events, run outside the sync loop (Hooks/, docs/HOOKS.md).
        var hooks = new HookRunner(events.Subscribe(), new HookRunnerSettings(repo.WorkTree!, settings.Hooks), loggers.CreateLogger("hooks"));
        hooks.RunCompleted += HookRuns.Add;
        Hooks = hooks.Hooks;
        var reload = new LiveReload(pusher, scanner, availability, triggers, router, hooks);
        _handle = request => Handle(request, pusher, transfers, committer, pause, availability, reload);
        var control = new ControlServer(socketPath, _handle, loggers.CreateLogger("control"));
        var configWatcher = new ConfigFileWatcher(settings.ConfigPath ?? Configuration.ConfigLoader.DefaultPathFor(repo.WorkTree!),
            () => Reload(reload), loggers.CreateLogger("config"));

        if (settings.Remotes.Count == 0) log.LogInformation("Watching {Repository} with no remotes yet (every change is committed; add one with 'tether remote add')", repo.DisplayPath);
        else log.LogInformation("Watching {Repository} with {Count} remote(s): {Remotes}", repo.DisplayPath, settings.Remotes.Count, string.Join(", ", settings.Remotes.Select(r => r.Name)));
        var tasks = new List<Task>
        {
            Run("watcher", () => watcher.RunAsync(stop)),
            Run("committer", () => committer.RunAsync(stop)),
            Run("pusher", () => pusher.RunAsync(availability.Reachable(), stop)),
            Run("merger", () => receivedMerger.RunAsync(stop)),
            Run("relay", () => relay.RunAsync(stop)),
            Run("transfers", () => transfers.RunAsync(stop)),
            Run("scanner", () => scanner.RunAsync(toScanner.Reader, stop)),
            Run("transfer records", () => others.RunAsync(stop)),
            Run("control", () => control.RunAsync(stop)),
            Run("hooks", () => hooks.RunAsync(stop)),
            Run("config", () => configWatcher.RunAsync(clock, stop)),
            Run("work tree", () => presence.RunAsync(pause, Status, events, () => changes.Writer.TryWrite(WorkTreeChange.RescanAll),
                TimeSpan.FromSeconds(30), clock, loggers.CreateLogger("daemon"), stop)),
        };
        await Task.WhenAny(watcher.Ready, Task.WhenAny(tasks));
        // Only now that every folder is watched: one full scan finds what changed while no daemon ran,
        // and nothing can slip between that scan and the watches.
        try
        {
            await changes.Writer.WriteAsync(WorkTreeChange.RescanAll, stop);
                scanner.ScanTree();
            await pusher.Started.WaitAsync(stop);
            tasks.Add(Run("triggers", () => triggers.RunAsync(router, stop)));
            _ready.TrySetResult();
        }
        catch (OperationCanceledException) { } // stopped while starting

        await Task.WhenAny(tasks);
        linked.Cancel(); // one component ending (it failed, or we are stopping) stops them all
        await Task.WhenAll(tasks);
        _handle = null;
        log.LogInformation("Stopped");

        async Task Run(string name, Func<Task> body)
        {
            try { await Task.Run(body, CancellationToken.None); }
            catch (Exception e) when (stop.IsCancellationRequested)
            {
                // Interrupted by the stop (a git child killed mid-push, say): nothing is half-written, the next start resumes.
                if (e is not OperationCanceledException) log.LogDebug(e, "The {Component} was interrupted by the stop", name);
            }
            catch (Exception e)
            {
                log.LogCritical(e, "The {Component} stopped with an error; stopping the daemon", name);
                events.Publish(new ErrorEvent(clock.GetUtcNow(), name, e.Message));
                throw;
            }
        }
    }

    private ControlResponse Handle(ControlRequest request, Pusher pusher, TransferScheduler transfers, Committer committer, SyncPause pause,
        RemoteAvailability availability, LiveReload reload) => request.Command switch
    {
        ControlCommand.Resume or ControlCommand.ResumeAcceptDeletions when !pause.IsPausedByGuard => new ControlResponse(true, pause.Reason ?? "syncing was not paused"),
        ControlCommand.Resume => Done(() => committer.Resume(acceptDeletions: false), "resumed: what is still deleted will trip the guard again; restore it first, or resume with --accept-deletions"),
        ControlCommand.ResumeAcceptDeletions => Done(() => committer.Resume(acceptDeletions: true), "resumed: the deletions are committed and synced"),
        ControlCommand.Reload => Reload(reload),
        ControlCommand.TransfersPause when request.Id is not null || request.Remote is not null =>
            new ControlResponse(true, $"paused {Selection(request)} ({transfers.PauseSome(request.Id, request.Remote)} transfer(s) now); 'tether transfers resume' with the same selection starts it again"),
        ControlCommand.TransfersPause => Done(transfers.Pause, "transfers paused; running ones were put back in the queue"),
        ControlCommand.TransfersResume when request.Id is not null || request.Remote is not null => transfers.ResumeSome(request.Id, request.Remote)
            ? new ControlResponse(true, $"resumed {Selection(request)}")
            : new ControlResponse(false, $"{Selection(request)} was not paused on its own"),
        ControlCommand.TransfersResume => Done(transfers.Resume, "transfers resumed"),
        ControlCommand.TransfersCancel when request.Id is null && request.Remote is null => new ControlResponse(false, "say which transfer (ID) or --remote"),
        ControlCommand.TransfersCancel => transfers.Cancel(request.Id, request.Remote) is var n and > 0
            ? new ControlResponse(true, $"cancelled {n} transfer(s)")
            : new ControlResponse(false, $"no queued or running transfer matches {request.Id ?? ""}{(request.Remote is null ? "" : $" on {request.Remote}")}"),
        ControlCommand.TransfersFirst when request.Id is null && request.Remote is null => new ControlResponse(false, "say which transfer (ID) or --remote"),
        ControlCommand.TransfersFirst => transfers.MoveToFront(request.Id, request.Remote) is var moved and > 0
            ? new ControlResponse(true, $"moved {moved} transfer(s) to the front of the queue")
            : new ControlResponse(false, $"no queued transfer matches {request.Id ?? ""}{(request.Remote is null ? "" : $" on {request.Remote}")}"),
        ControlCommand.Status => new ControlResponse(true, Status: Status.Snapshot()),
        ControlCommand.Poke when request.Remote is not null && availability.UnavailableReason(request.Remote) is { } why =>
            new ControlResponse(false, $"{request.Remote} is unavailable: {why}"),
        ControlCommand.Poke => pusher.Poke(request.Remote)
            ? Done(() => transfers.RetryFailed(request.Remote), request.Remote is null ? "syncing with every remote" : $"syncing with {request.Remote}")
            : new ControlResponse(false, $"no remote named '{request.Remote}' (known: {string.Join(", ", pusher.Workers.Select(w => w.Name))})"),
        ControlCommand.Stop => StopAndAnswer(),
        _ => new ControlResponse(false, $"unknown command '{request.Command}'"),
    };

    /// <summary>The parts of the daemon a reload reaches.</summary>
    private sealed record LiveReload(Pusher Pusher, TransferScanner Scanner, RemoteAvailability Availability, TriggerHost Triggers,
        SyncRequestRouter Router, HookRunner Hooks);

    /// <summary>
    /// The config changed (an edit seen by <see cref="ConfigFileWatcher"/>, `tether reload`, `tether remote add/remove`):
    /// validate it first; a bad one is reported (log, status, an error event) and the last good config stays in force.
    /// A good one takes effect at once: remotes (workers started and stopped), triggers, hooks, wants, which files are
    /// large, the push retry interval of new workers; what cannot change live is named.
    /// </summary>
    private ControlResponse Reload(LiveReload live)
    {
        if (reloadSettings is null) return new ControlResponse(false, "this daemon cannot reload its config");
        var log = loggers.CreateLogger("config");
        lock (_reloading)
        {
            DaemonSettings fresh;
            try { fresh = reloadSettings(); }
            catch (Configuration.ConfigException e)
            {
                log.LogError("Config not reloaded, the last good one stays in force: {Error}", e.Message);
                Status.SetWarning("config", $"not reloaded, the last good config stays in force: {e.Message}");
                events.Publish(new ErrorEvent(clock.GetUtcNow(), "config", e.Message));
                return new ControlResponse(false, $"config not reloaded: {e.Message}"); // the last good config stays in force
            }
            Status.SetWarning("config", null);
            var before = _current;
            _current = fresh;
            live.Availability.SetRemotes(fresh.Remotes);
            live.Triggers.Plan(fresh.Triggers, fresh.Remotes, fresh.ConfigPath);
            var workers = live.Pusher.Workers.Select(w => w.Name).ToHashSet();
            live.Router.Apply();
            live.Triggers.RestartAsync().Forget(loggers.CreateLogger("triggers"), "Restarting the triggers"); // a new drive remote is looked for at once
            live.Hooks.ReplaceHooks(fresh.Hooks);
            var wantsChanged = before.Wants.ToString() != fresh.Wants.ToString();
            live.Scanner.Wants = fresh.Wants;
            if (wantsChanged) new Topology.TopologyRecorder(repo, clock).RecordWantsAsync(fresh.Wants, _stop.Token).Forget(log, "Recording the new wants");
            if (wantsChanged || live.Pusher.Workers.Any(w => !workers.Contains(w.Name))) live.Scanner.ScanTree(); // what we hold goes to new remotes; newly wanted content is fetched
            var atRestart = NeedsRestart(before, fresh);
            var message = $"reloaded; remotes: {string.Join(", ", fresh.Remotes.Select(r => r.Name))}; hooks: {fresh.Hooks.Count}; triggers: {fresh.Triggers.Count}" +
                (atRestart.Count > 0 ? $"; takes effect at the next start: {string.Join(", ", atRestart)}" : "");
            log.LogInformation("Config {Message}", message);
            return new ControlResponse(true, message);
        }
    }

    private static List<string> NeedsRestart(DaemonSettings before, DaemonSettings after)
    {
        var changed = new List<string>();
        if (before.Timing != after.Timing) changed.Add("commit.quiet_period/max_batch");
        if (before.TransferSlots != after.TransferSlots) changed.Add("transfers.slots");
        if (before.Strategy != after.Strategy) changed.Add("transfers.strategy");
        if (before.Unlocked != after.Unlocked) changed.Add("annex.unlocked");
        if (before.DeletionGuard != after.DeletionGuard) changed.Add("commit.max_deletion_percent/deletion_guard_min_files");
        return changed;
    }

    private static string Selection(ControlRequest request) =>
        request.Id is { } id ? $"transfer {id}{(request.Remote is { } r ? $" and the transfers with {r}" : "")}" : $"the transfers with {request.Remote}";

    private static ControlResponse Done(Action action, string message)
    {
        action();
        return new ControlResponse(true, message);
    }

    private ControlResponse StopAndAnswer()
    {
        _stop.CancelAfter(TimeSpan.FromMilliseconds(50)); // let the answer go out first
        return new ControlResponse(true, "stopping");
    }
}
