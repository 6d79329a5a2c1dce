using Microsoft.Extensions.Time.Testing;
using Tether.Kernel.Triggers;
using Tether.Sdk.Triggers;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Triggers;

/// <summary>The built-in interval trigger, on a fake clock: one request per period, none before, and its settings checked.</summary>
public sealed class IntervalTriggerTests
{
    private static TriggerDescriptor Entry(TimeSpan? every, string? remote = "nas") =>
        new("interval", remote, every, new Dictionary<string, string>(), [new TriggerRemote("nas", "/srv/nas", "local")], "/repo") { Source = "config.yml:12" };

    [Fact]
    public async Task AsksForASyncOncePerPeriod()
    {
        var clock = new FakeTimeProvider();
        var trigger = new IntervalTriggerFactory(clock).Create(Entry(TimeSpan.FromMinutes(15)));
        var requester = new RecordingRequester();
        using var stop = new CancellationTokenSource();
        var running = trigger.RunAsync(requester, stop.Token);

        clock.Advance(TimeSpan.FromMinutes(14));
        await Task.Delay(100);
        Assert.Empty(requester.Calls);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => requester.Calls.Count == 1, TimeSpan.FromSeconds(5), () => string.Join("\n", requester.Calls));
        clock.Advance(TimeSpan.FromMinutes(15));
        await Eventually.TrueAsync(() => requester.Calls.Count == 2, TimeSpan.FromSeconds(5), () => string.Join("\n", requester.Calls));
        Assert.All(requester.Calls, c => Assert.Equal("sync nas: every 15m", c));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task WithoutARemoteItAsksForEveryRemote()
    {
        var clock = new FakeTimeProvider();
        var requester = new RecordingRequester();
        using var stop = new CancellationTokenSource();
        var running = new IntervalTriggerFactory(clock).Create(Entry(TimeSpan.FromSeconds(30), remote: null)).RunAsync(requester, stop.Token);
        clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => requester.Calls.Count == 1, TimeSpan.FromSeconds(5), () => string.Join("\n", requester.Calls));
        Assert.Equal("sync *: every 30s", Assert.Single(requester.Calls));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Theory]
    [InlineData(null, "config.yml:12: an interval trigger needs 'every:'")]
    [InlineData(500, "config.yml:12: every: 500 ms is too short")]
    public void BadSettingsAreRefusedNamingTheEntry(int? milliseconds, string expected)
    {
        var every = milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        var e = Assert.Throws<ArgumentException>(() => new IntervalTriggerFactory(TimeProvider.System).Create(Entry(every)));
        Assert.StartsWith(expected, e.Message);
    }
}
