using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Threads;

namespace Tether.Kernel.Hooks;

/// <summary>
/// Hooks for one-shot commands (sync, get, restore, resolve): the command raises the daemon's events on <see cref="Events"/>,
/// then <see cref="RunAsync"/> runs every hook that takes each event, in order, with the same payload the daemon's hooks
/// get, and waits for them: each hook is bounded by its own timeout (killed with its process group past it).
/// </summary>
public sealed class OneShotHooks
{
    private readonly HookRunnerSettings _settings;
    private readonly ILogger _log;
    private readonly ChannelReader<SyncEvent> _raised;

    public OneShotHooks(string workTree, IReadOnlyList<HookConfig> hooks, ILogger log)
    {
        _settings = new HookRunnerSettings(workTree, hooks);
        _log = log;
        _raised = Events.Subscribe();
    }

    public EventBus Events { get; } = new();

    /// <summary>Runs the hooks of every event raised so far; returns the runs that did not succeed.</summary>
    public async Task<IReadOnlyList<HookRunResult>> RunAsync(CancellationToken ct)
    {
        var runner = new HookRunner(null, _settings, _log);
        var failed = new List<HookRunResult>();
        while (_raised.TryRead(out var e))
            foreach (var result in await runner.FireAsync(e, ct))
                if (!result.Succeeded) failed.Add(result);
        return failed;
    }
}
