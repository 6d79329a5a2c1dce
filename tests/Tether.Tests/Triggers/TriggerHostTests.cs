using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Transfers;
using Tether.Kernel.Triggers;
using Tether.Sdk.Triggers;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Threads;
using Tether.Kernel.Committing;

namespace Tether.Tests.Triggers;

/// <summary>The trigger host: a trigger that cannot start or that crashes stops alone (an error event), the others run, stop and restart.</summary>
public sealed class TriggerHostTests
{
    private sealed class Factory(string type, Func<TriggerDescriptor, ISyncTrigger> create) : ISyncTriggerFactory
    {
        public int Created;
        public string Type => type;
        public ISyncTrigger Create(TriggerDescriptor trigger)
        {
            Interlocked.Increment(ref Created);
            return create(trigger);
        }
    }

    private sealed class Trigger(Func<ISyncRequester, CancellationToken, Task> run) : ISyncTrigger
    {
        public Task RunAsync(ISyncRequester kernel, CancellationToken ct) => run(kernel, ct);
    }

    [Fact]
    public async Task AFailingTriggerStopsAloneWithAnErrorEventAndTheOthersRunUntilStopped()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("a"), "a", false, CancellationToken.None);
        var events = new EventBus();
        var seen = events.Subscribe();
        var stopped = new TaskCompletionSource();
        var good = new Factory("good", _ => new Trigger(async (_, ct) =>
        {
            try { await Task.Delay(Timeout.Infinite, ct); }
            finally { stopped.TrySetResult(); }
        }));
        var broken = new Factory("broken", t => throw new ArgumentException($"{t.Source}: no such option"));
        var crashing = new Factory("crashing", _ => new Trigger((_, _) => throw new InvalidOperationException("lost the bus")));
        var availability = new RemoteAvailability([]);
        var host = new TriggerHost([good, broken, crashing], availability, repo.WorkTree!, events, TimeProvider.System, NullLoggerFactory.Instance);
        host.Plan([new TriggerConfig { Type = "good", Line = 3 }, new TriggerConfig { Type = "broken", Line = 5 }, new TriggerConfig { Type = "crashing", Line = 7 }], [], "config.yml");

        using var scheduler = new TransferScheduler(repo, [], () => [], _ => Task.CompletedTask, events, 1, TimeProvider.System, NullLogger.Instance);
        var pusher = new Pusher(Channel.CreateUnbounded<CommitResult>().Reader, _ => throw new InvalidOperationException("no worker in this test"));
        var router = new SyncRequestRouter(availability, pusher, scheduler, events, new DaemonStatus("a", TimeProvider.System), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(router, stop.Token);

        var errors = new List<ErrorEvent>();
        while (errors.Count < 2)
            if (await seen.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)) is ErrorEvent e) errors.Add(e);
        Assert.Contains(errors, e => e.Component == "trigger broken" && e.Message == "could not start: config.yml:5: no such option");
        Assert.Contains(errors, e => e.Component == "trigger crashing" && e.Message == "stopped with an error: lost the bus");
        Assert.False(stopped.Task.IsCompleted);

        await host.RestartAsync(); // a reload: the good one is made again, the old one stopped
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, good.Created);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
