using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Remotes;
using Tether.Kernel.Triggers;
using Tether.Sdk.Triggers;
using Xunit;

namespace Tether.Tests.Triggers;

/// <summary>Which triggers the daemon runs, and which remotes wait for a trigger to find them.</summary>
public sealed class TriggerPlanTests
{
    private sealed class FakeUsb : ISyncTriggerFactory
    {
        public string Type => "usb";
        public ISyncTrigger Create(TriggerDescriptor trigger) => throw new NotSupportedException();
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }

    private static readonly Remote Drive = new("usb", "/media/me/BACKUP/tether", "local", 100, null) { Drive = new DriveIdentity("tether", "u-1") };
    private static readonly Remote Server = new("server", "/srv/tether", "local", 100, null);

    [Fact]
    public void DriveRemotesGetAnImplicitUsbTriggerAndWaitForIt()
    {
        var log = new ListLogger();
        var plan = TriggerPlan.For([], [Drive, Server], [new IntervalTriggerFactory(TimeProvider.System), new FakeUsb()], "config.yml", log);
        var usb = Assert.Single(plan.Triggers);
        Assert.Equal("usb", usb.Name);
        Assert.StartsWith("implicit, for the drive remote(s) usb", usb.Source);
        Assert.Equal(["usb"], plan.Watched);
        var descriptor = TriggerPlan.Describe(usb, [Drive, Server], "/repo");
        Assert.Equal(new DriveIdentity("tether", "u-1"), descriptor.Remotes.Single(r => r.Name == "usb").Drive);
        Assert.Null(descriptor.Remotes.Single(r => r.Name == "server").Drive);
        Assert.Empty(log.Lines);
    }

    [Fact]
    public void WithoutTheUsbPluginADriveIsAPlainRemoteAndTheUserIsTold()
    {
        var log = new ListLogger();
        var plan = TriggerPlan.For([], [Drive], [new IntervalTriggerFactory(TimeProvider.System)], "config.yml", log);
        Assert.Empty(plan.Triggers);
        Assert.Empty(plan.Watched);
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: Remote(s) usb are on drives, but no loaded plugin provides the 'usb' trigger", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfiguredTriggersRunAndAnUnknownTypeIsWarnedAboutWithItsLine()
    {
        var log = new ListLogger();
        TriggerConfig[] configured =
        [
            new() { Type = "interval", Remote = "server", Every = TimeSpan.FromMinutes(5), Line = 40 },
            new() { Type = "xmpp", Line = 44 },
            new() { Type = "usb", Remote = "usb", Line = 46 },
        ];
        var plan = TriggerPlan.For(configured, [Drive, Server], [new IntervalTriggerFactory(TimeProvider.System), new FakeUsb()], "config.yml", log);
        Assert.Equal(["interval:server", "usb:usb"], plan.Triggers.Select(t => t.Name));
        Assert.Equal(["config.yml:40", "config.yml:46"], plan.Triggers.Select(t => t.Source));
        Assert.Equal(["usb"], plan.Watched);
        Assert.Equal(["server"], TriggerPlan.Describe(plan.Triggers[0], [Drive, Server], "/repo").Remotes.Select(r => r.Name));
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: config.yml:44: no loaded plugin provides the trigger type 'xmpp' (known: interval, usb", StringComparison.Ordinal));
    }
}
