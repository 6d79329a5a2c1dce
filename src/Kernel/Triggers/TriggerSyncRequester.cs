using Microsoft.Extensions.Logging;
using Tether.Sdk.Triggers;

namespace Tether.Kernel.Triggers;

/// <summary>The kernel as one trigger sees it: its requests go to the daemon's router, its log lines under its name.</summary>
public sealed class TriggerSyncRequester(SyncRequestRouter router, string trigger, ILogger log) : ISyncRequester
{
    public Task RequestSyncAsync(string? remote, string reason, CancellationToken ct)
    {
        router.RequestSync(remote, reason, trigger);
        return Task.CompletedTask;
    }

    public Task RemoteAvailableAsync(string remote, string? location, string reason, CancellationToken ct) =>
        router.AvailableAsync(remote, location, reason, trigger, ct);

    public Task RemoteUnavailableAsync(string remote, string reason, CancellationToken ct) =>
        router.UnavailableAsync(remote, reason, trigger, ct);

    public void Log(TriggerLogLevel level, string message) => log.Log(level switch
    {
        TriggerLogLevel.Debug => LogLevel.Debug,
        TriggerLogLevel.Information => LogLevel.Information,
        TriggerLogLevel.Warning => LogLevel.Warning,
        _ => LogLevel.Error,
    }, "{Message}", message);
}
