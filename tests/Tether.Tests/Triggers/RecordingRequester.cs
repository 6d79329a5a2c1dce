using System.Collections.Concurrent;
using Tether.Sdk.Triggers;

namespace Tether.Tests.Triggers;

/// <summary>An <see cref="ISyncRequester"/> that records what a trigger asked for.</summary>
internal sealed class RecordingRequester : ISyncRequester
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Task RequestSyncAsync(string? remote, string reason, CancellationToken ct)
    {
        Calls.Enqueue($"sync {remote ?? "*"}: {reason}");
        return Task.CompletedTask;
    }

    public Task RemoteAvailableAsync(string remote, string? location, string reason, CancellationToken ct)
    {
        Calls.Enqueue($"available {remote} at {location}: {reason}");
        return Task.CompletedTask;
    }

    public Task RemoteUnavailableAsync(string remote, string reason, CancellationToken ct)
    {
        Calls.Enqueue($"unavailable {remote}: {reason}");
        return Task.CompletedTask;
    }

    public void Log(TriggerLogLevel level, string message) => Calls.Enqueue($"log {level}: {message}");
}
