using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Remotes;
using Tether.Sdk.Triggers;
using Tether.Kernel.Triggers;

namespace Tether.Kernel.Threads;

/// <summary>
/// Runs the daemon's triggers (built-in and plugin ones, all through the Sdk contract), each on its own task with a
/// requester that routes to <see cref="SyncRequestRouter"/>. A trigger that cannot be created or that throws stops
/// alone (logged, and an <c>error</c> event); the daemon goes on. A config reload restarts them all with the new entries.
/// </summary>
public sealed class TriggerHost(IReadOnlyList<ISyncTriggerFactory> factories, RemoteAvailability availability, string repositoryPath,
    EventBus events, TimeProvider clock, ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("triggers");
    private readonly SemaphoreSlim _restarting = new(1, 1);
    private SyncRequestRouter? _router;
    private CancellationToken _stopping;
    private TriggerPlan _plan = new([], []);
    private CancellationTokenSource? _generation;
    private List<Task> _running = [];

    /// <summary>
    /// Decides which triggers run (the next start or restart runs this plan) and tells the availability which remotes
    /// they watch. Call before the workers start, and on a config reload.
    /// </summary>
    public TriggerPlan Plan(IReadOnlyList<TriggerConfig> configured, IReadOnlyList<Remote> remotes, string? configPath)
    {
        var plan = TriggerPlan.For(configured, remotes, factories, configPath, _log);
        availability.Watch(plan.Watched);
        _plan = plan;
        return plan;
    }

    /// <summary>Starts the planned triggers and runs until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(SyncRequestRouter router, CancellationToken ct)
    {
        _router = router;
        _stopping = ct;
        await RestartAsync();
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) { }
        await _restarting.WaitAsync(CancellationToken.None);
        try { await StopAsync(); }
        finally { _restarting.Release(); }
    }

    /// <summary>A config reload: stops every trigger and starts those of the latest plan. Never throws (a stop under way wins).</summary>
    public async Task RestartAsync()
    {
        if (_router is not { } router) return; // not started yet: RunAsync starts the latest plan
        try { await _restarting.WaitAsync(_stopping); }
        catch (OperationCanceledException) { return; }
        try
        {
            await StopAsync();
            if (_stopping.IsCancellationRequested) return;
            _generation = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            var remotes = availability.All();
            _running = _plan.Triggers.Select(t => Start(t, remotes, router, _generation.Token)).ToList();
        }
        finally { _restarting.Release(); }
    }

    private async Task StopAsync()
    {
        if (_generation is null) return;
        await _generation.CancelAsync();
        await Task.WhenAll(_running);
        _generation.Dispose();
        _generation = null;
    }

    private Task Start(PlannedTrigger planned, IReadOnlyList<Remote> remotes, SyncRequestRouter router, CancellationToken ct)
    {
        ISyncTrigger trigger;
        try { trigger = planned.Factory.Create(TriggerPlan.Describe(planned, remotes, repositoryPath)); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failed(planned, "could not start", e);
            return Task.CompletedTask;
        }
        _log.LogInformation("Trigger {Trigger} started ({Source})", planned.Name, planned.Source);
        var requester = new TriggerSyncRequester(router, planned.Name, loggers.CreateLogger($"trigger.{planned.Name}"));
        return Task.Run(async () =>
        {
            try { await trigger.RunAsync(requester, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is not OutOfMemoryException) { Failed(planned, "stopped with an error", e); }
        }, CancellationToken.None);
    }

    private void Failed(PlannedTrigger planned, string what, Exception e)
    {
        _log.LogError(e, "Trigger {Trigger} ({Source}) {What}: {Error}", planned.Name, planned.Source, what, e.Message);
        events.Publish(new ErrorEvent(clock.GetUtcNow(), $"trigger {planned.Name}", $"{what}: {e.Message}"));
    }
}
