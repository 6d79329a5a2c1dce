using System.Diagnostics;
using Tmds.DBus;

namespace Tether.Tests.Usb;

/// <summary>The part of udisks2's ObjectManager the usb plugin listens to, served by the test.</summary>
[DBusInterface("org.freedesktop.DBus.ObjectManager")]
public interface IFakeUdisksObjectManager : IDBusObject
{
    Task<IDisposable> WatchInterfacesAddedAsync(Action<(ObjectPath Path, IDictionary<string, IDictionary<string, object>> Interfaces)> handler, Action<Exception>? onError = null);

    Task<IDisposable> WatchInterfacesRemovedAsync(Action<(ObjectPath Path, string[] Interfaces)> handler, Action<Exception>? onError = null);
}

/// <summary>
/// A private dbus-daemon standing in for the system bus, with a stand-in udisks2 on it that can announce a block
/// device (InterfacesAdded), as udisks2 does when a drive is plugged in.
/// </summary>
internal sealed class FakeUdisks : IFakeUdisksObjectManager, IAsyncDisposable
{
    private readonly Process _bus;
    private readonly Connection _connection;
    private readonly List<Action<(ObjectPath, IDictionary<string, IDictionary<string, object>>)>> _added = [];

    public ObjectPath ObjectPath => new("/org/freedesktop/UDisks2");
    public string Address { get; }

    private FakeUdisks(Process bus, string address)
    {
        _bus = bus;
        Address = address;
        _connection = new Connection(address);
    }

    public static async Task<FakeUdisks> StartAsync(string folder)
    {
        var socket = Path.Combine(folder, "bus.sock");
        var psi = new ProcessStartInfo("dbus-daemon") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--session", $"--address=unix:path={socket}", "--nofork", "--print-address" }) psi.ArgumentList.Add(arg);
        if (!File.Exists("/usr/bin/dbus-daemon")) throw new InvalidOperationException("/usr/bin/dbus-daemon is missing (apt package dbus-daemon; ./run-tests installs it)");
        var bus = Process.Start(psi)!;
        var address = (await bus.StandardOutput.ReadLineAsync().WaitAsync(Step))?.Trim() ?? throw new InvalidOperationException("dbus-daemon printed no address");
        var fake = new FakeUdisks(bus, address);
        await Bounded(fake._connection.ConnectAsync(), "connect");
        await Bounded(fake._connection.RegisterObjectAsync(fake), "register the object");
        await Bounded(fake._connection.RegisterServiceAsync("org.freedesktop.UDisks2"), "own org.freedesktop.UDisks2");
        return fake;
    }

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private static async Task Bounded(Task step, string what)
    {
        try { await step.WaitAsync(Step); }
        catch (TimeoutException) { throw new TimeoutException($"the stand-in udisks2 could not {what} within {Step.TotalSeconds} s"); }
    }

    public int Listeners
    {
        get { lock (_added) return _added.Count; }
    }

    /// <summary>Emits InterfacesAdded for a block device, as udisks2 does when one appears.</summary>
    public void AnnounceBlockDevice(string name)
    {
        var interfaces = new Dictionary<string, IDictionary<string, object>> { ["org.freedesktop.UDisks2.Block"] = new Dictionary<string, object> { ["Size"] = 1UL << 30 } };
        lock (_added)
            foreach (var handler in _added) handler((new ObjectPath($"/org/freedesktop/UDisks2/block_devices/{name}"), interfaces));
    }

    public Task<IDisposable> WatchInterfacesAddedAsync(Action<(ObjectPath Path, IDictionary<string, IDictionary<string, object>> Interfaces)> handler, Action<Exception>? onError = null)
    {
        lock (_added) _added.Add(h => handler(h));
        return Task.FromResult<IDisposable>(new Unwatch());
    }

    public Task<IDisposable> WatchInterfacesRemovedAsync(Action<(ObjectPath Path, string[] Interfaces)> handler, Action<Exception>? onError = null) =>
        Task.FromResult<IDisposable>(new Unwatch());

    private sealed class Unwatch : IDisposable
    {
        public void Dispose() { }
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        if (!_bus.HasExited) _bus.Kill();
        _bus.WaitForExit(5000);
        _bus.Dispose();
        return ValueTask.CompletedTask;
    }
}
