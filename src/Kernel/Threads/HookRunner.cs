using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Hooks;

namespace Tether.Kernel.Threads;

/// <summary>
/// Runs the user's hooks on the daemon's events, outside the sync loop: the dispatch loop only files each event
/// into the queues of the hooks that take it and returns to reading, so a slow, hung or failing hook never
/// delays syncing. Each hook (a YAML entry, or one event's drop-in folder) runs one event at a time; at most
/// <see cref="HookRunnerSettings.MaxConcurrent"/> hook processes run at once; events that pile up for a busy
/// hook are coalesced (<see cref="HookEventCoalescer"/>), so a flood never spawns unbounded processes or memory.
/// </summary>
public sealed class HookRunner
{
    private readonly ChannelReader<SyncEvent>? _events;
    private readonly HookRunnerSettings _settings;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _slots;
    private volatile YamlHooks _yaml;
    private readonly ConcurrentDictionary<string, HookQueue> _dropInQueues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _draining = new();
    private CancellationToken _stopping;

    public HookRunner(ChannelReader<SyncEvent>? events, HookRunnerSettings settings, ILogger log)
    {
        _events = events;
        _settings = settings;
        _log = log;
        _slots = new SemaphoreSlim(Math.Max(1, settings.MaxConcurrent));
        _yaml = YamlHooks.From(settings.Hooks);
    }

    public IReadOnlyList<HookDefinition> Hooks => _yaml.Hooks;

    /// <summary>The config was reloaded: events from now on go to these YAML hooks (runs already queued finish as they were).</summary>
    public void ReplaceHooks(IReadOnlyList<HookConfig> hooks)
    {
        _yaml = YamlHooks.From(hooks);
        _log.LogInformation("Hooks: {Count} from the reloaded config", hooks.Count);
    }

    private sealed record YamlHooks(IReadOnlyList<HookDefinition> Hooks, HookQueue[] Queues)
    {
        public static YamlHooks From(IReadOnlyList<HookConfig> hooks)
        {
            var definitions = hooks.Select((config, index) => new HookDefinition(config, index)).ToList();
            return new YamlHooks(definitions, definitions.Select(_ => new HookQueue()).ToArray());
        }
    }

    /// <summary>Raised after every hook run, on the thread that ran it.</summary>
    public event Action<HookRunResult>? RunCompleted;

    /// <summary>Reads events until stopped; on the stop, running hooks are killed with their process groups.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (_events is null) throw new InvalidOperationException("this runner has no event source; use FireAsync");
        _stopping = ct;
        _log.LogInformation("Hooks: {Count} from the config, drop-ins from {Folder}", Hooks.Count, _settings.DropInRoot);
        try
        {
            await foreach (var e in _events.ReadAllAsync(ct)) Dispatch(e);
        }
        finally
        {
            await Task.WhenAll(_draining.Keys).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    /// <summary>Runs every hook that takes the event now (through the same process limit) and returns how each ended:
    /// the YAML hooks in config order, then the drop-ins in name order. What `tether hooks test` uses.</summary>
    public async Task<IReadOnlyList<HookRunResult>> FireAsync(SyncEvent e, CancellationToken ct)
    {
        var payload = HookEventPayload.From(e, _settings.WorkTree);
        var yaml = Hooks.Where(h => h.Takes(payload)).Select(h => RunYamlHookAsync(h, payload, ct)).ToList();
        var dropIns = RunDropInsAsync(payload, ct);
        var results = (await Task.WhenAll(yaml)).ToList();
        results.AddRange(await dropIns);
        return results;
    }

    private void Dispatch(SyncEvent e)
    {
        var payload = HookEventPayload.From(e, _settings.WorkTree);
        var yaml = _yaml;
        for (int i = 0; i < yaml.Hooks.Count; i++)
        {
            if (!yaml.Hooks[i].Takes(payload)) continue;
            var hook = yaml.Hooks[i];
            Enqueue(yaml.Queues[i], hook.Name, e, (next, coalesced) =>
                RunYamlHookAsync(hook, HookEventPayload.From(next, _settings.WorkTree, coalesced), _stopping));
        }
        if (DropInHooks.Runnable(_settings.DropInRoot, e.Name).Count > 0)
        {
            var queue = _dropInQueues.GetOrAdd(e.Name, _ => new HookQueue());
            Enqueue(queue, e.Name + ".d", e, (next, coalesced) =>
                RunDropInsAsync(HookEventPayload.From(next, _settings.WorkTree, coalesced), _stopping));
        }
    }

    private void Enqueue(HookQueue queue, string hookName, SyncEvent e, Func<SyncEvent, int, Task> run)
    {
        int coalesced = queue.Add(e);
        if (coalesced > 0 && IsPowerOfTen(coalesced))
            _log.LogInformation("Hook {Hook} is still busy: {Count} {Event} event(s) coalesced into its next run", hookName, coalesced, e.Name);
        if (!queue.TryStartRunning()) return;
        var drain = Task.Run(async () =>
        {
            while (queue.TakeNext() is { } next)
            {
                try { await run(next.Event, next.Coalesced); }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _log.LogError(error, "Hook {Hook} on {Event} failed to run", hookName, next.Event.Name);
                }
                catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);
        _draining[drain] = true;
        drain.ContinueWith(t => _draining.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task<HookRunResult> RunYamlHookAsync(HookDefinition hook, HookEventPayload payload, CancellationToken ct)
    {
        HookCommandLine command;
        try { command = hook.CommandFor(payload); }
        catch (Exception e) when (e is HookTemplateException or InvalidOperationException)
        {
            return Report(HookRunResult.NotRun(hook.Name, payload.EventName, hook.DisplayCommand(), e.Message));
        }
        var environment = HookEnvironment.For(payload, hook.Name, hook.Config.Env);
        return Report(await RunLimitedAsync(hook.Name, payload, command, environment, hook.Config.Timeout, ct));
    }

    private async Task<IReadOnlyList<HookRunResult>> RunDropInsAsync(HookEventPayload payload, CancellationToken ct)
    {
        var results = new List<HookRunResult>();
        foreach (var path in DropInHooks.Runnable(_settings.DropInRoot, payload.EventName))
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(_settings.DropInRoot, path);
            var environment = HookEnvironment.For(payload, name);
            results.Add(Report(await RunLimitedAsync(name, payload, new HookCommandLine(path, []), environment, _settings.DropInTimeout, ct)));
        }
        return results;
    }

    private async Task<HookRunResult> RunLimitedAsync(string name, HookEventPayload payload, HookCommandLine command,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            return await HookProcess.RunAsync(name, payload.EventName, command, payload.ToJson(), environment, _settings.WorkTree, timeout, ct);
        }
        finally { _slots.Release(); }
    }

    private HookRunResult Report(HookRunResult result)
    {
        string shown = result.OutputBytes > HookProcess.OutputCapBytes
            ? $"{result.OutputBytes} bytes of output, the last {HookProcess.OutputCapBytes} kept"
            : $"{result.OutputBytes} bytes of output";
        var level = result.Succeeded ? LogLevel.Information : LogLevel.Warning;
        if (result.OutputBytes == 0)
            _log.Log(level, "Hook {Hook} on {Event}: {Outcome} in {Milliseconds} ms ({Command})",
                result.Hook, result.Event, result.Outcome, (long)result.Duration.TotalMilliseconds, result.Command);
        else
            _log.Log(level, "Hook {Hook} on {Event}: {Outcome} in {Milliseconds} ms ({Command}); {Shown}:\n{Output}",
                result.Hook, result.Event, result.Outcome, (long)result.Duration.TotalMilliseconds, result.Command, shown, result.Output.TrimEnd('\n'));
        RunCompleted?.Invoke(result);
        return result;
    }

    private static bool IsPowerOfTen(int n)
    {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }
}
